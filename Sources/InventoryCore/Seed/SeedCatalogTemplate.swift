/// The kiryana goods, brands, cities and supplier names seeded data is drawn from.
enum SeedCatalogTemplate {
    struct Item {
        var code: String
        var name: String
        var unit: ProductUnit
        /// Sale price range in paise per unit.
        var pricePaise: ClosedRange<Int64>
    }

    static let items: [Item] = [
        Item(code: "RICE", name: "Basmati rice", unit: .kg, pricePaise: 7_000...16_000),
        Item(code: "ATTA", name: "Wheat atta", unit: .kg, pricePaise: 3_500...5_500),
        Item(code: "TOOR", name: "Toor dal", unit: .kg, pricePaise: 12_000...16_000),
        Item(code: "MOONG", name: "Moong dal", unit: .kg, pricePaise: 11_000...14_000),
        Item(code: "CHANA", name: "Chana dal", unit: .kg, pricePaise: 8_000...10_000),
        Item(code: "SUGAR", name: "Sugar", unit: .kg, pricePaise: 4_000...4_800),
        Item(code: "JAGGERY", name: "Jaggery", unit: .kg, pricePaise: 5_000...7_000),
        Item(code: "POHA", name: "Poha", unit: .kg, pricePaise: 5_000...6_500),
        Item(code: "RAVA", name: "Rava (sooji)", unit: .kg, pricePaise: 4_000...5_500),
        Item(code: "BESAN", name: "Besan", unit: .kg, pricePaise: 8_000...11_000),
        Item(code: "SUNOIL", name: "Sunflower oil", unit: .l, pricePaise: 13_000...18_000),
        Item(code: "MUSOIL", name: "Mustard oil", unit: .l, pricePaise: 14_000...19_000),
        Item(code: "GHEE", name: "Ghee", unit: .l, pricePaise: 55_000...65_000),
        Item(code: "MILK", name: "Milk 500 ml", unit: .pack, pricePaise: 2_700...3_400),
        Item(code: "CURD", name: "Curd 400 g", unit: .pack, pricePaise: 3_500...5_000),
        Item(code: "BREAD", name: "Bread", unit: .pack, pricePaise: 3_500...5_500),
        Item(code: "EGGS", name: "Eggs", unit: .piece, pricePaise: 600...800),
        Item(code: "TEA", name: "Tea 250 g", unit: .pack, pricePaise: 12_000...30_000),
        Item(code: "COFFEE", name: "Coffee 100 g", unit: .pack, pricePaise: 20_000...35_000),
        Item(code: "BISCUIT", name: "Biscuits", unit: .pack, pricePaise: 1_000...4_000),
        Item(code: "NOODLE", name: "Instant noodles", unit: .pack, pricePaise: 1_400...2_000),
        Item(code: "SALT", name: "Iodised salt 1 kg", unit: .pack, pricePaise: 2_000...2_800),
        Item(code: "HALDI", name: "Turmeric powder", unit: .g, pricePaise: 25...40),
        Item(code: "MIRCH", name: "Red chilli powder", unit: .g, pricePaise: 30...50),
        Item(code: "JEERA", name: "Cumin seeds", unit: .g, pricePaise: 50...80),
        Item(code: "MASALA", name: "Garam masala 100 g", unit: .pack, pricePaise: 6_000...9_000),
        Item(code: "SOAP", name: "Bath soap", unit: .piece, pricePaise: 3_000...6_000),
        Item(code: "SHAMPOO", name: "Shampoo sachet", unit: .piece, pricePaise: 100...300),
        Item(code: "PASTE", name: "Toothpaste", unit: .piece, pricePaise: 5_000...12_000),
        Item(code: "DETERG", name: "Detergent powder", unit: .kg, pricePaise: 9_000...14_000),
        Item(code: "HAIROIL", name: "Coconut hair oil", unit: .ml, pricePaise: 20...35),
        Item(code: "AGARB", name: "Agarbatti", unit: .pack, pricePaise: 2_000...6_000),
        Item(code: "MATCH", name: "Matchboxes (10)", unit: .pack, pricePaise: 1_000...1_200),
        Item(code: "PICKLE", name: "Mango pickle", unit: .pack, pricePaise: 8_000...15_000),
        Item(code: "PAPAD", name: "Papad", unit: .pack, pricePaise: 4_000...7_000),
    ]

    static let brands = [
        "Tata", "Aashirvaad", "Fortune", "Patanjali", "Amul", "Britannia", "Parle", "Haldiram", "Everest", "MDH",
        "Nestle", "Dabur", "Saffola", "Daawat", "Local",
    ]

    static let cities: [(name: String, state: String, code: String)] = [
        ("Mumbai", "Maharashtra", "BOM"), ("Pune", "Maharashtra", "PNQ"), ("Nagpur", "Maharashtra", "NAG"),
        ("Delhi", "Delhi", "DEL"), ("Bengaluru", "Karnataka", "BLR"), ("Mysuru", "Karnataka", "MYQ"),
        ("Chennai", "Tamil Nadu", "MAA"), ("Coimbatore", "Tamil Nadu", "CJB"), ("Madurai", "Tamil Nadu", "IXM"),
        ("Hyderabad", "Telangana", "HYD"), ("Kolkata", "West Bengal", "CCU"), ("Ahmedabad", "Gujarat", "AMD"),
        ("Surat", "Gujarat", "STV"), ("Vadodara", "Gujarat", "BDQ"), ("Jaipur", "Rajasthan", "JAI"),
        ("Jodhpur", "Rajasthan", "JDH"), ("Lucknow", "Uttar Pradesh", "LKO"), ("Kanpur", "Uttar Pradesh", "KNU"),
        ("Varanasi", "Uttar Pradesh", "VNS"), ("Patna", "Bihar", "PAT"), ("Indore", "Madhya Pradesh", "IDR"),
        ("Bhopal", "Madhya Pradesh", "BHO"), ("Bhubaneswar", "Odisha", "BBI"), ("Kochi", "Kerala", "COK"),
        ("Thiruvananthapuram", "Kerala", "TRV"), ("Guwahati", "Assam", "GAU"), ("Chandigarh", "Chandigarh", "IXC"),
        ("Ludhiana", "Punjab", "LUH"), ("Amritsar", "Punjab", "ATQ"), ("Visakhapatnam", "Andhra Pradesh", "VTZ"),
        ("Vijayawada", "Andhra Pradesh", "VGA"), ("Raipur", "Chhattisgarh", "RPR"), ("Ranchi", "Jharkhand", "IXR"),
        ("Dehradun", "Uttarakhand", "DED"), ("Nashik", "Maharashtra", "ISK"), ("Rajkot", "Gujarat", "RAJ"),
        ("Agra", "Uttar Pradesh", "AGR"), ("Meerut", "Uttar Pradesh", "MRT"), ("Goa", "Goa", "GOI"),
        ("Mangaluru", "Karnataka", "IXE"),
    ]

    static let supplierNames = [
        "Sharma", "Gupta", "Agarwal", "Mehta", "Patel", "Reddy", "Iyer", "Khan", "Singh", "Jain",
    ]
    static let supplierKinds = ["Traders", "Wholesale", "Distributors", "Agencies"]
}

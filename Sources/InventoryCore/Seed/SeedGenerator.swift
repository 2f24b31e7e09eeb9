import Foundation

/// Builds realistic, deterministic data for a chain: the same plan always gives the same rows.
///
/// Every store opens with stock of every product. The first `historyStores` stores then live
/// `days` days: sales every evening with a weekly rhythm (busier at the weekend) and popular
/// products selling more, restocks from the preferred supplier when stock falls to the reorder
/// level, occasional removals, monthly counts, and a weekly transfer to the next store.
public struct SeedGenerator: Sendable {
    public let plan: SeedPlan
    public let catalog: SeedCatalog
    /// The first day of history at midnight IST; openings happen the day before.
    let start: Date
    let preferredSupplier: [Int64]
    let costPaise: [Int64]

    public init(plan: SeedPlan) {
        self.plan = plan
        let istMidnight = (plan.end.unixMilliseconds + 19_800_000) / 86_400_000 * 86_400_000 - 19_800_000
        start = Date(unixMilliseconds: istMidnight - Int64(plan.days) * 86_400_000)
        var random = SeedRandom.derived(plan.seed, 1)
        let created = start.addingTimeInterval(-2 * 86_400)

        let cityCount = min(SeedCatalogTemplate.cities.count, max(1, plan.stores / 50))
        let cities = (0..<cityCount).map { index in
            let city = SeedCatalogTemplate.cities[index]
            return City(id: Int64(index + 1), name: city.name, state: city.state, createdAt: created, deletedAt: nil)
        }
        let stores = (0..<plan.stores).map { index in
            let cityIndex = index % cityCount
            let code = "\(SeedCatalogTemplate.cities[cityIndex].code)-\(String(format: "%05d", index + 1))"
            return Store(
                id: Int64(index + 1), code: code, name: "Kiryana \(code)", cityID: Int64(cityIndex + 1),
                address: "Shop \(index % 97 + 1), Market Road", active: true, createdAt: created)
        }
        let supplierCount = max(4, plan.products / 20)
        let suppliers = (0..<supplierCount).map { index in
            let name = SeedCatalogTemplate.supplierNames[index % SeedCatalogTemplate.supplierNames.count]
            let kind = SeedCatalogTemplate.supplierKinds[(index / SeedCatalogTemplate.supplierNames.count) % 4]
            return Supplier(
                id: Int64(index + 1), name: "\(name) \(kind) \(index + 1)", contact: "\(name) ji",
                phone: "+91 98\(String(format: "%08d", 10_000_000 + index * 7919 % 89_999_999))",
                createdAt: created)
        }
        var products: [Product] = []
        var links: [SeedProductSupplier] = []
        var preferred: [Int64] = []
        var costs: [Int64] = []
        for index in 0..<plan.products {
            let item = SeedCatalogTemplate.items[index % SeedCatalogTemplate.items.count]
            let brand = SeedCatalogTemplate.brands[
                (index / SeedCatalogTemplate.items.count) % SeedCatalogTemplate.brands.count]
            let id = Int64(index + 1)
            let price = Int64.random(in: item.pricePaise, using: &random)
            let sku = try! SKU("\(item.code)-\(brand.prefix(3).uppercased())-\(id)")
            products.append(
                Product(
                    id: id, sku: sku, name: "\(brand) \(item.name)", unit: item.unit, barcode: Self.ean13(id),
                    salePrice: Money(paise: price), active: true, createdAt: created, updatedAt: created))
            let supplierID = Int64.random(in: 1...Int64(supplierCount), using: &random)
            let cost = price * Int64.random(in: 75...88, using: &random) / 100
            links.append(
                SeedProductSupplier(
                    productID: id, supplierID: supplierID, supplierSKU: "S\(supplierID)-\(id)",
                    costPrice: Money(paise: cost),
                    leadTimeDays: Int.random(in: 1...7, using: &random), preferred: true))
            let second = supplierID % Int64(supplierCount) + 1
            if second != supplierID, Bool.random(using: &random) {
                links.append(
                    SeedProductSupplier(
                        productID: id, supplierID: second, supplierSKU: "S\(second)-\(id)",
                        costPrice: Money(paise: cost * Int64.random(in: 98...106, using: &random) / 100),
                        leadTimeDays: Int.random(in: 2...10, using: &random), preferred: false))
            }
            preferred.append(supplierID)
            costs.append(cost)
        }
        var transfers: [SeedTransfer] = []
        if plan.historyStores >= 2 {
            for day in 0..<plan.days where day % 7 == 3 {
                for store in 0..<plan.historyStores {
                    transfers.append(
                        SeedTransfer(
                            id: Int64(transfers.count + 1), fromStoreID: Int64(store + 1),
                            toStoreID: Int64((store + 1) % plan.historyStores + 1),
                            createdAt: Self.at(start, day: day, hour: 10)))
                }
            }
        }
        catalog = SeedCatalog(
            cities: cities, stores: stores, suppliers: suppliers, products: products, links: links, transfers: transfers
        )
        preferredSupplier = preferred
        costPaise = costs
    }

    /// Movements in id order: every opening, then each history day store by store, in time order.
    public func makeMovements() -> SeedMovements {
        SeedMovements(generator: self)
    }

    /// The stock levels once every movement of `movements` (run to its end) is applied.
    public func stockLevels(after movements: SeedMovements) -> some Sequence<SeedStockLevel> {
        let products = plan.products
        return (0..<plan.stores).lazy.flatMap { store in
            (0..<products).lazy.map { product in
                SeedStockLevel(
                    storeID: Int64(store + 1), productID: Int64(product + 1),
                    onHand: store < plan.historyStores
                        ? movements.balances[store * products + product]
                        : self.openingQuantity(store: store, product: product),
                    reorderLevel: self.reorderLevel(store: store, product: product))
            }
        }
    }

    // MARK: Per (store, product) figures, computed rather than stored

    /// How many sell on an average day: popular products far more than the long tail.
    func dailyUnits(product: Int) -> Double {
        12.0 / pow(Double(product % 97 + 1), 0.8)
    }

    func openingQuantity(store: Int, product: Int) -> Int64 {
        var random = SeedRandom.derived(plan.seed, 2, UInt64(store), UInt64(product))
        return roundToUnit(
            Int64(dailyUnits(product: product) * Double.random(in: 8...20, using: &random) * 1000) + 5_000,
            product: product)
    }

    func reorderLevel(store: Int, product: Int) -> Int64 {
        roundToUnit(Int64(dailyUnits(product: product) * 3 * 1000) + 2_000, product: product)
    }

    /// Whole units for pieces and packs; grams and millilitres in whole hundreds.
    func roundToUnit(_ thousandths: Int64, product: Int) -> Int64 {
        switch catalog.products[product].unit {
        case .piece, .pack: max(1_000, thousandths / 1_000 * 1_000)
        case .g, .ml: max(100_000, thousandths * 100 / 100_000 * 100_000)
        case .kg, .l: max(50, thousandths / 50 * 50)
        }
    }

    static func at(_ start: Date, day: Int, hour: Int) -> Date {
        start.addingTimeInterval(TimeInterval(day * 86_400 + hour * 3_600))
    }

    /// A valid EAN-13 in India's 890 range.
    static func ean13(_ id: Int64) -> String {
        let body = "890" + String(format: "%09lld", id % 1_000_000_000)
        let digits = body.compactMap(\.wholeNumberValue)
        let sum = digits.enumerated().reduce(0) { $0 + $1.element * ($1.offset.isMultiple(of: 2) ? 1 : 3) }
        return body + String((10 - sum % 10) % 10)
    }
}

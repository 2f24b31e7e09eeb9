import ArgumentParser
import InventoryCore
import InventoryServer

/// `godown product add|list|show|update|remove`: the catalog.
struct ProductCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "product", abstract: "Manage the product catalog.",
        subcommands: [Add.self, List.self, Show.self, Update.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a product.")
        @Argument(help: "The SKU (letters, digits, - _ .; stored upper-case).") var sku: String
        @Argument(help: "The product's name.") var name: String
        @Option(help: "piece, pack, kg, g, l or ml.") var unit = "piece"
        @Option(help: "The barcode printed on the pack.") var barcode: String?
        @Option(help: "The sale price, such as 42.50.") var price: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let draft = try ProductDraft(
                sku: SKU(sku), name: name, unit: ProductUnit(parsing: unit), barcode: barcode,
                salePrice: price.map { text throws(InventoryError) in try Money(parsing: text, field: "price") })
            let product = try await database.withStorage { storage in
                try await storage.createProduct(draft, by: .commandLine)
            }
            try ProductCommand.show([product], output: output)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List products.")
        @Option(help: "Match a SKU prefix or part of the name.") var search: String?
        @Flag(help: "Include deleted products.") var includeDeleted = false
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let query = (search: search, includeDeleted: includeDeleted)
            let products = try await database.withStorage { storage in
                try await Paging.all { page in
                    try await storage.listProducts(
                        ProductQuery(search: query.search, includeDeleted: query.includeDeleted, page: page))
                }
            }
            try ProductCommand.show(products, output: output, single: false)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one product.")
        @Argument(help: "An id, a SKU, sku:CODE or barcode:CODE.") var product: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let reference = try ProductReference(parsing: product)
            let found = try await database.withStorage { storage in try await storage.product(reference) }
            try ProductCommand.show([found], output: output)
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a product's details.")
        @Argument(help: "An id, a SKU, sku:CODE or barcode:CODE.") var product: String
        @Option var sku: String?
        @Option var name: String?
        @Option var unit: String?
        @Option var barcode: String?
        @Flag(help: "Remove the barcode.") var clearBarcode = false
        @Option var price: String?
        @Flag(help: "Remove the sale price.") var clearPrice = false
        @Option(help: "true or false.") var active: Bool?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let salePrice: Money?? =
                clearPrice
                ? .some(nil)
                : try price.map { text throws(InventoryError) in
                    .some(try Money(parsing: text, field: "price"))
                }
            let changes = try ProductChanges(
                sku: sku.map { text throws(InventoryError) in try SKU(text) }, name: name,
                unit: unit.map { text throws(InventoryError) in try ProductUnit(parsing: text) },
                barcode: clearBarcode ? .some(nil) : barcode.map { .some($0) }, salePrice: salePrice, active: active)
            let reference = try ProductReference(parsing: product)
            let updated = try await database.withStorage { storage in
                try await storage.updateProduct(reference, changes: changes, by: .commandLine)
            }
            try ProductCommand.show([updated], output: output)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a product (its history stays; refused while any store holds it).")
        @Argument(help: "An id, a SKU, sku:CODE or barcode:CODE.") var product: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let reference = try ProductReference(parsing: product)
            try await database.withStorage { storage in try await storage.deleteProduct(reference, by: .commandLine) }
            print("Deleted product \(reference).")
        }
    }

    /// Prints products; `single` prints JSON as one object rather than an array.
    static func show(_ products: [Product], output: OutputOptions, single: Bool = true) throws {
        if output.json {
            if single, let product = products.first {
                try Output.printJSON(ProductWire(product))
            } else {
                try Output.printJSON(products.map(ProductWire.init))
            }
            return
        }
        Output.printTable(
            headers: ["ID", "SKU", "NAME", "UNIT", "BARCODE", "PRICE", "ACTIVE"],
            rows: products.map {
                [
                    "\($0.id)", $0.sku.value, $0.name, $0.unit.rawValue, $0.barcode ?? "",
                    $0.salePrice?.description ?? "",
                    $0.active ? "yes" : "no",
                ]
            },
            rightAligned: ["ID", "PRICE"])
    }
}

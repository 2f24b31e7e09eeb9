import ArgumentParser
import Foundation
import InventoryCore
import InventoryServer

/// `godown stock [--low]` lists stock; `godown stock in|sale|remove|adjust|count SKU QTY` records movements.
struct StockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stock", abstract: "Show stock, or record a movement.",
        subcommands: [List.self, StockIn.self, Sale.self, Remove.self, Adjust.self, Count.self, ReorderLevel.self],
        defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show every product's on-hand (the default).")
        @Flag(help: "Only products at or below their reorder level.") var low = false
        @OptionGroup var store: StoreOptions
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (storeID, low) = (store.store, low)
            let levels = try await database.withStorage { storage in
                try await Paging.all { page in
                    try await storage.stockLevels(StockQuery(storeID: storeID, lowStockOnly: low, page: page))
                }
            }
            if output.json {
                try Output.printJSON(levels.map(StockLevelWire.init))
                return
            }
            Output.printTable(
                headers: ["SKU", "NAME", "ON HAND", "UNIT", "REORDER AT", "LOW"],
                rows: levels.map {
                    [
                        $0.product.sku.value, $0.product.name, $0.onHand.description, $0.product.unit.rawValue,
                        $0.reorderLevel?.description ?? "", $0.isLow ? "LOW" : "",
                    ]
                },
                rightAligned: ["ON HAND", "REORDER AT"])
        }
    }

    struct StockIn: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "in", abstract: "Record goods received.")
        @OptionGroup var movement: MovementArguments
        func run() async throws { try await movement.record(.stockIn) }
    }

    struct Sale: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a sale.")
        @OptionGroup var movement: MovementArguments
        func run() async throws { try await movement.record(.sale) }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a removal (--reason damaged, expired, lost, theft or other).")
        @OptionGroup var movement: MovementArguments
        func run() async throws { try await movement.record(.removal) }
    }

    struct Adjust: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a signed correction, such as -2 or 3, with --reason.")
        @OptionGroup var movement: MovementArguments
        func run() async throws { try await movement.record(.adjustment) }
    }

    struct Count: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a physical count: QTY is what is on the shelf; the difference is computed.")
        @OptionGroup var movement: MovementArguments
        func run() async throws { try await movement.record(.count) }
    }

    struct ReorderLevel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reorder-level", abstract: "Set the on-hand at or below which a product is low (none clears).")
        @Argument(help: "An id, a SKU, sku:CODE or barcode:CODE.") var product: String
        @Argument(help: "The level, or none.") var level: String
        @OptionGroup var store: StoreOptions
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let quantity = level == "none" ? nil : try Quantity(parsing: level, field: "level")
            let (storeID, reference) = (store.store, try ProductReference(parsing: product))
            let stock = try await database.withStorage { storage in
                try await storage.setReorderLevel(
                    storeID: storeID, product: reference, level: quantity, by: .commandLine)
            }
            print(
                "\(stock.product.sku): reorder at \(stock.reorderLevel?.description ?? "none"), on hand \(stock.onHand)"
            )
        }
    }
}

/// The arguments every movement command takes.
struct MovementArguments: ParsableArguments {
    @Argument(help: "An id, a SKU, sku:CODE or barcode:CODE.") var product: String
    // allUnrecognized lets an adjustment's quantity start with a minus sign ("-2").
    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("The quantity, such as 2, 1.250 or (adjust) -2.", valueName: "quantity"))
    var quantityArguments: [String] = []

    private var quantities: [String] { quantityArguments.filter { $0 != "--" } }
    @Option(help: "Why (removal: damaged, expired, lost, theft, other; adjustment: free text).") var reason: String?
    @Option(help: "The supplier id (stock in).") var supplier: Int64?
    @Option(help: "The cost per unit (stock in).") var unitCost: String?
    @Option(help: "The price per unit (sale; default: the product's price).") var unitPrice: String?
    @Option(help: "A free note.") var note: String?
    @Option(help: "When it happened, ISO 8601 (default: now).") var occurredAt: String?
    @Option(help: "Makes a retried command apply once (default: a fresh key per command).") var idempotencyKey: String?
    @OptionGroup var store: StoreOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard quantities.count == 1 else {
            throw ValidationError("give exactly one quantity after the product, not \(quantities.count)")
        }
    }

    func record(_ kind: MovementKind) async throws {
        let command = try MovementCommand(
            product: ProductReference(parsing: product), kind: kind,
            quantity: Quantity(parsing: quantities[0]),
            reason: reason, supplierID: supplier,
            unitCost: unitCost.map { text throws(InventoryError) in try Money(parsing: text, field: "unit_cost") },
            unitPrice: unitPrice.map { text throws(InventoryError) in try Money(parsing: text, field: "unit_price") },
            note: note,
            occurredAt: occurredAt.map { text throws(InventoryError) in
                try WireCoding.parseTime(text, field: "occurred_at")
            })
        var batch = try MovementBatch(storeID: store.store, commands: [command])
        batch.idempotency = try IdempotencyClaim(
            key: idempotencyKey ?? UUID().uuidString, requestHash: RequestFingerprint.of(batch))
        let request = batch
        let recorded = try await database.withStorage { storage in
            try await storage.recordMovements(request, by: .commandLine)
        }
        let movement = recorded.movements[0]
        if output.json {
            try Output.printJSON(MovementWire(movement))
            return
        }
        let replay = recorded.replayed ? " (already recorded under this key; nothing changed)" : ""
        print(
            "Movement \(movement.id): \(movement.kind.rawValue) \(movement.sku) \(movement.delta.signed), "
                + "on hand now \(movement.balanceAfter)\(replay)")
    }
}

extension Quantity {
    /// "+2" or "-1.5": a delta as a person reads it.
    var signed: String { isNegative ? description : "+\(description)" }
}

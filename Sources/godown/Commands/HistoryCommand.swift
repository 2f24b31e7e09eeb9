import ArgumentParser
import InventoryCore
import InventoryServer

/// `godown history`: movements, newest first, with filters.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show movements, newest first.")

    @Option(help: "Only this SKU.") var sku: String?
    @Option(help: "stock_in, sale, removal, adjustment or count.") var kind: String?
    @Option(help: "Only this supplier id.") var supplier: Int64?
    @Option(help: "From this time (ISO 8601 or a date), inclusive.") var from: String?
    @Option(help: "Up to this time (ISO 8601 or a date), exclusive.") var to: String?
    @Option(help: "At most this many movements.") var limit = 100
    @Option(help: "Only this store id (default: every store).") var store: Int64?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let query = try MovementQuery(
            scope: .all, storeID: store, product: sku.map { text throws(InventoryError) in .sku(try SKU(text)) },
            kind: kind.map { text throws(InventoryError) in try MovementKind(parsing: text) }, supplierID: supplier,
            from: from.map { text throws(InventoryError) in try WireCoding.parseTime(text, field: "from") },
            to: to.map { text throws(InventoryError) in try WireCoding.parseTime(text, field: "to") },
            page: PageRequest(limit: limit))
        let movements = try await database.withStorage { storage in try await storage.movements(query).items }
        if output.json {
            try Output.printJSON(movements.map(MovementWire.init))
            return
        }
        Output.printTable(
            headers: ["ID", "OCCURRED AT", "STORE", "SKU", "KIND", "DELTA", "BALANCE", "REASON", "NOTE"],
            rows: movements.map {
                [
                    "\($0.id)", WireCoding.formatTime($0.occurredAt), "\($0.storeID)", $0.sku.value, $0.kind.rawValue,
                    $0.delta.signed, $0.balanceAfter.description, $0.reason ?? "", $0.note ?? "",
                ]
            },
            rightAligned: ["ID", "DELTA", "BALANCE"])
    }
}

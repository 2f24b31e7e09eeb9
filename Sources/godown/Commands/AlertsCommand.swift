import ArgumentParser
import InventoryCore
import InventoryServer

/// `godown alerts`: low-stock alerts, newest first.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Show low-stock alerts, newest first, after catching up with the event log (as the server does).")

    @Option(help: "Only this store id.") var store: Int64?
    @Option(help: "open, acknowledged or resolved.") var state: String?
    @Option(help: "At most this many alerts.") var limit = 100
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let state = try state.map { text in
            guard let state = AlertState(rawValue: text) else {
                throw ValidationError("--state must be open, acknowledged or resolved")
            }
            return state
        }
        let query = AlertQuery(scope: .all, storeID: store, state: state, page: try PageRequest(limit: limit))
        let alerts = try await database.withStorage { storage in
            // Without a server running, nothing else raises them: one consumer pass, to the end of the log.
            while try await storage.processAlerts(limit: 500).eventsRead == 500 {}
            return try await storage.alerts(query).items
        }
        if output.json {
            try Output.printJSON(alerts.map(AlertWire.init))
            return
        }
        Output.printTable(
            headers: ["ID", "STORE", "SKU", "STATE", "ON HAND", "LEVEL", "RAISED AT"],
            rows: alerts.map {
                [
                    "\($0.id)", "\($0.storeID)", $0.sku.value, $0.state.rawValue, $0.onHand.description,
                    $0.reorderLevel.description, WireCoding.formatTime($0.raisedAt),
                ]
            },
            rightAligned: ["ID", "ON HAND", "LEVEL"])
    }
}

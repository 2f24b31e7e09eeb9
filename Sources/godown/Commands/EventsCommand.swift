import ArgumentParser
import Foundation
import InventoryCore
import InventoryServer

/// `godown events tail`: the event log as it grows, one JSON object per line.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Read the event log.", subcommands: [Tail.self])

    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print events as they are appended, one JSON object per line, until interrupted.")

        @Option(help: "Only this store's events.") var store: Int64?
        @Option(help: "Only these types, comma-separated (movement.recorded,stock.changed).") var types: String?
        @Option(help: "Start after this event id (0-0: from the oldest kept); default: only new events.")
        var after: String?
        @Option(help: "Exit after printing this many events.") var count: Int?
        @Option(help: "Seconds between reads when nothing is new.") var interval = 0.5
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let types = try EventWire.types(types)
            let start = try after.map { text throws(InventoryError) in try EventPosition(cursor: text, field: "after") }
            let store = store
            let count = count
            let pause = Duration.milliseconds(Int(max(interval, 0.05) * 1_000))
            try await database.withStorage { storage in
                var cursor: EventPosition
                if let start { cursor = start } else { cursor = try await storage.latestEventPosition() }
                var printed = 0
                while count.map({ printed < $0 }) ?? true {
                    let batch = try await storage.events(
                        EventQuery(
                            after: cursor, scope: .all, administrator: true, storeID: store, types: types,
                            limit: Limits.eventPageSizeMax))
                    for event in batch.events.prefix(count.map { $0 - printed } ?? Int.max) {
                        // Written straight to the descriptor, so a pipe sees each line at once.
                        FileHandle.standardOutput.write(Data((EventWire.json(event) + "\n").utf8))
                        printed += 1
                    }
                    cursor = batch.reachedPosition
                    if batch.events.count < Limits.eventPageSizeMax && count.map({ printed < $0 }) ?? true {
                        try await Task.sleep(for: pause)
                    }
                }
            }
        }
    }
}

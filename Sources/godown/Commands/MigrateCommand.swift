import ArgumentParser
import InventoryCore

/// `godown migrate`: brings the database schema up to this version of Godown.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending schema migrations (every command also does this before it starts).")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        // Opening the storage migrates it, under a lock, and refuses a schema newer than this build.
        _ = try await database.withStorage { storage in
            try await storage.listStores(StoreQuery(scope: .all, page: PageRequest(limit: 1))).items.count
        }
        print("Database at \(database.redactedLocation) is up to date.")
    }
}

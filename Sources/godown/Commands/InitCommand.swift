import ArgumentParser
import InventoryCore

/// `godown init`: creates the database (or brings it up to date) and shows the default store.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the database, or migrate it to this version.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let stores = try await database.withStorage { storage in
            try await storage.listStores(StoreQuery(scope: .all, page: PageRequest())).items
        }
        print("Database ready at \(database.redactedLocation)")
        for store in stores {
            print("Store \(store.id): \(store.name) (\(store.code))")
        }
    }
}

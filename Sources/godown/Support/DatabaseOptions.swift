import ArgumentParser
import Foundation
import InventoryCore
import InventoryPostgres
import InventorySQLite
import Logging

/// Which database a command uses: `--database`, else `GODOWN_DATABASE`, else `./godown.sqlite`.
/// A `postgres://` URL selects PostgreSQL; anything else is a SQLite file path.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "A SQLite file, or postgres://user:password@host:5432/database (default: $GODOWN_DATABASE or ./godown.sqlite).")
    var database: String?

    @Option(help: "Most PostgreSQL connections to hold open.")
    var poolSizeMax = 20

    static let environmentVariable = "GODOWN_DATABASE"
    static let defaultPath = "godown.sqlite"

    var location: String {
        database ?? ProcessInfo.processInfo.environment[Self.environmentVariable] ?? Self.defaultPath
    }

    var isPostgres: Bool { location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") }

    /// Where the database is, with any password hidden, for logs and messages.
    var redactedLocation: String {
        guard isPostgres, var components = URLComponents(string: location), components.password != nil else {
            return location
        }
        components.password = "***"
        return components.string ?? "postgres://…"
    }

    /// Opens a PostgreSQL backend without starting it: its client must run before use.
    func makePostgresStorage(logger: Logger) throws -> PostgresInventoryStorage {
        PostgresInventoryStorage(
            configuration: try PostgresInventoryStorage.configuration(url: location, poolSizeMax: poolSizeMax),
            logger: logger)
    }

    /// Runs `body` with the database open and migrated; for PostgreSQL, with its client running.
    func withStorage<T: Sendable>(_ body: @Sendable (any InventoryStorage) async throws -> T) async throws -> T {
        guard isPostgres else {
            return try await body(try SQLiteInventoryStorage(path: location))
        }
        var logger = Logger(label: "godown")
        logger.logLevel = .error
        let storage = try makePostgresStorage(logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await storage.client.run() }
            defer { group.cancelAll() }
            try await storage.migrate()
            return try await body(storage)
        }
    }
}

/// `--json` for scripts, readable tables otherwise.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false
}

/// `--store` for commands that act on one store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store id (default: 1, the store the first start creates).")
    var store: Int64 = 1
}

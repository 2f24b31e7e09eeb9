import ArgumentParser
import Foundation
import InventoryCore
import InventorySQLite

/// Which database a command uses: `--database`, else `GODOWN_DATABASE`, else `./godown.sqlite`.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The database file (default: $GODOWN_DATABASE or ./godown.sqlite).")
    var database: String?

    static let environmentVariable = "GODOWN_DATABASE"
    static let defaultPath = "godown.sqlite"

    var location: String {
        database ?? ProcessInfo.processInfo.environment[Self.environmentVariable] ?? Self.defaultPath
    }

    /// Opens the database, creating and migrating it when needed.
    func openStorage() throws -> SQLiteInventoryStorage {
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            throw ValidationError("PostgreSQL is not supported by this build yet; give a SQLite file path")
        }
        return try SQLiteInventoryStorage(path: location)
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

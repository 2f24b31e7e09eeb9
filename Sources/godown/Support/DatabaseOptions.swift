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
        help:
            "A SQLite file, or postgres://user:password@host:5432/database (default: $GODOWN_DATABASE or ./godown.sqlite)."
    )
    var database: String?

    @Option(help: "Most PostgreSQL connections to hold open.")
    var poolSizeMax = 20

    @Option(help: "Seconds one database call may take before it fails (503 over HTTP); up to 3 decimals.")
    var databaseTimeout = Seconds(Limits.databaseTimeoutDefault)

    var deadline: DatabaseDeadline { DatabaseDeadline(timeout: databaseTimeout.duration) }

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
            logger: logger, deadline: deadline)
    }

    /// Runs `body` with the database open and migrated; for PostgreSQL, with its client running.
    func withStorage<T: Sendable>(_ body: @Sendable (any InventoryStorage & SeedLoading) async throws -> T) async throws
        -> T
    {
        guard isPostgres else {
            return try await body(try SQLiteInventoryStorage(path: location, deadline: deadline))
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

/// A positive number of seconds given on the command line, such as `5` or `0.25`: exact, never floating point.
struct Seconds: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let milliseconds: Int64

    init(_ duration: Duration) {
        milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    init?(argument: String) {
        let parts = argument.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), whole >= 0, whole <= 86_400,
            parts[0].allSatisfy(\.isASCII)
        else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            guard (1...3).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                let digits = Int64(parts[1])
            else { return nil }
            fraction = digits * [100, 10, 1][parts[1].count - 1]
        }
        milliseconds = whole * 1000 + fraction
        guard milliseconds > 0 else { return nil }
    }

    var duration: Duration { .milliseconds(milliseconds) }
    var description: String { duration.secondsText.replacingOccurrences(of: " s", with: "") }
}

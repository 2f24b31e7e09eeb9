import Foundation
import InventoryCore
import Logging
import PostgresNIO

/// The server backend: PostgreSQL through a pooled postgres-nio `PostgresClient`.
///
/// `client` is a swift-service-lifecycle `Service`: run it (the executable puts it in its
/// `ServiceGroup`) before any other call. Every write runs in one transaction under
/// `READ COMMITTED`; stock rows are locked in a fixed order before they are read, so concurrent
/// writers queue instead of racing, and the schema's triggers check each movement again.
public final class PostgresInventoryStorage: InventoryStorage {
    /// The connection pool; a `Service` to run for as long as the storage is used.
    public let client: PostgresClient
    let logger: Logger
    /// How long each call may take before it answers `storageUnavailable`.
    let deadline: DatabaseDeadline
    /// Where the times this storage records come from.
    let time: any TimeSource
    /// Shared by every copy of this storage (`withDeadline`), so one process sends one wake-up per burst.
    let listenerWake: ListenerWake

    public init(
        configuration: PostgresClient.Configuration, logger: Logger, deadline: DatabaseDeadline = DatabaseDeadline(),
        time: any TimeSource = SystemTime()
    ) {
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
        self.deadline = deadline
        self.time = time
        self.listenerWake = ListenerWake()
    }

    /// This storage's pool, with another deadline on each call.
    func withDeadline(_ deadline: DatabaseDeadline) -> PostgresInventoryStorage {
        PostgresInventoryStorage(
            client: client, logger: logger, deadline: deadline, time: time, listenerWake: listenerWake)
    }

    private init(
        client: PostgresClient, logger: Logger, deadline: DatabaseDeadline, time: any TimeSource,
        listenerWake: ListenerWake
    ) {
        self.client = client
        self.logger = logger
        self.deadline = deadline
        self.time = time
        self.listenerWake = listenerWake
    }

    /// Wakes listening instances after a commit that may have appended events (see `ListenerWake`).
    func wakeListeners() {
        listenerWake.committed { [self] in
            _ = try? await access { connection in
                try await connection.query(
                    "SELECT pg_notify(\(PostgresSchema.eventChannel), '')", logger: self.logger)
            }
        }
    }

    /// The time of a change, in whole milliseconds as stored.
    var now: Date { time.now.truncatedToMilliseconds }

    /// Parses `postgres://user:password@host:port/database?sslmode=disable|prefer|require`.
    public static func configuration(url text: String, poolSizeMax: Int) throws -> PostgresClient.Configuration {
        guard let url = URLComponents(string: text), ["postgres", "postgresql"].contains(url.scheme ?? ""),
            let host = url.host, !host.isEmpty
        else {
            throw InventoryError.invalidField(
                name: "database", reason: "must look like postgres://user:password@host:5432/database")
        }
        let tls: PostgresClient.Configuration.TLS =
            switch url.queryItems?.first(where: { $0.name == "sslmode" })?.value {
            case "disable": .disable
            case "require": .require(.makeClientConfiguration())
            default: .prefer(.makeClientConfiguration())
            }
        let database = url.path.drop { $0 == "/" }
        var configuration = PostgresClient.Configuration(
            host: host, port: url.port ?? 5432, username: url.user ?? "postgres", password: url.password,
            database: database.isEmpty ? nil : String(database), tls: tls)
        configuration.options.maximumConnections = poolSizeMax
        configuration.options.connectTimeout = .seconds(5)
        // The hot paths' prepared statements and the ledger trigger are planned once per connection;
        // by default PostgreSQL would plan them again on every call whenever it guesses a custom plan
        // might be cheaper.
        configuration.options.additionalStartupParameters = [("plan_cache_mode", "force_generic_plan")]
        return configuration
    }

    /// Applies pending migrations under an advisory lock, so several instances starting at once
    /// migrate once. Throws when the database was migrated by a newer Godown. `version` stops
    /// earlier, so tests can check a migration against data written before it.
    public func migrate(upTo version: Int? = nil) async throws {
        try await unboundedTransaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(7242001)", logger: self.logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: self.logger)
            let applied = try await Self.appliedVersion(connection, logger: self.logger)
            guard applied <= PostgresSchema.latestVersion else {
                throw InventoryError.storageUnavailable(
                    reason: "the database schema is version \(applied), newer than this Godown knows "
                        + "(\(PostgresSchema.latestVersion)); upgrade Godown")
            }
            for migration in PostgresSchema.migrations
            where migration.version > applied && migration.version <= version ?? PostgresSchema.latestVersion {
                for statement in migration.statements {
                    try await connection.query("\(unescaped: statement)", logger: self.logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: self.logger)
            }
            // Every start keeps a year of monthly audit partitions ready, from the month before now.
            try await connection.query(
                """
                SELECT audit_log_ensure_partitions((now() - INTERVAL '1 month')::DATE, \(PostgresSchema.auditPartitionsAheadMonths + 1)::INT)
                """, logger: self.logger)
        }
    }

    /// The schema version the database is at, and the one this build knows.
    public func schemaVersions() async throws -> (database: Int, known: Int) {
        let applied = try await access { try await Self.appliedVersion($0, logger: self.logger) }
        return (applied, PostgresSchema.latestVersion)
    }

    static func appliedVersion(_ connection: GuardedConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query(
            "SELECT COALESCE(max(version), 0)::INT8 FROM schema_migrations WHERE to_regclass('schema_migrations') IS NOT NULL",
            logger: logger)
        for try await version in rows.decode(Int64.self) { return Int(version) }
        return 0
    }

    /// Answers within `Limits.healthCheckTimeout`: while PostgreSQL is down the pool would otherwise
    /// keep a caller waiting until its circuit breaker trips, which takes about a minute.
    public func checkHealth() async throws {
        try await access(deadline: DatabaseDeadline(timeout: min(Limits.healthCheckTimeout, deadline.timeout))) {
            connection in
            _ = try await connection.query("SELECT 1", logger: self.logger)
        }
    }

    /// The live store with this id, optionally locked (`FOR SHARE` while moving its stock,
    /// `FOR UPDATE` while deleting it).
    static func requireStore(_ connection: GuardedConnection, id: Int64, lock: RowLock = .none, logger: Logger)
        async throws -> Store
    {
        let stores = try await connection.query(
            "SELECT * FROM stores WHERE id = \(id) AND deleted_at IS NULL \(unescaped: lock.clause)", logger: logger
        ).collectRows(store)
        guard let store = stores.first else { throw InventoryError.storeNotFound(id: id) }
        return store
    }

    static func requireSupplier(_ connection: GuardedConnection, id: Int64, lock: RowLock = .none, logger: Logger)
        async throws -> Supplier
    {
        let suppliers = try await connection.query(
            "SELECT * FROM suppliers WHERE id = \(id) AND deleted_at IS NULL \(unescaped: lock.clause)", logger: logger
        ).collectRows(supplier)
        guard let supplier = suppliers.first else { throw InventoryError.supplierNotFound(id: id) }
        return supplier
    }

    static func requireCity(_ connection: GuardedConnection, id: Int64, logger: Logger) async throws -> City {
        let cities = try await connection.query(
            "SELECT * FROM cities WHERE id = \(id) AND deleted_at IS NULL", logger: logger
        ).collectRows(city)
        guard let city = cities.first else { throw InventoryError.cityNotFound(id: id) }
        return city
    }

    // MARK: Access

    /// Runs `work` on a pooled connection within the deadline, translating driver errors.
    func access<T: Sendable>(
        deadline: DatabaseDeadline? = nil, _ work: @escaping @Sendable (GuardedConnection) async throws -> T
    ) async throws -> T {
        let holder = LeaseHolder()
        return try await (deadline ?? self.deadline).run(onExpiry: holder.closeHeldConnection) {
            try await self.withLease(holder) { try await work($0) }
        }
    }

    /// Runs `work` in one transaction within the deadline, rolled back when it throws; once it has
    /// committed, wakes the instances listening for events (unless it writes none: `wakes: false`).
    func transaction<T: Sendable>(
        wakes: Bool = true, _ work: @escaping @Sendable (GuardedConnection) async throws -> T
    ) async throws -> T {
        let holder = LeaseHolder()
        let result = try await deadline.run(onExpiry: holder.closeHeldConnection) {
            try await self.withLease(holder) { try await self.inTransaction($0, work) }
        }
        if wakes { wakeListeners() }
        return result
    }

    /// Runs `work` on a pooled connection with no deadline: whole-ledger walks take as long as they take.
    func unboundedAccess<T: Sendable>(_ work: (GuardedConnection) async throws -> T) async throws -> T {
        try await withLease(LeaseHolder()) { try await work($0) }
    }

    /// Runs `work` in one transaction with no deadline: migrations, bulk loads and whole-ledger walks
    /// take as long as they take.
    func unboundedTransaction<T: Sendable>(_ work: (GuardedConnection) async throws -> T) async throws -> T {
        try await withLease(LeaseHolder()) { try await self.inTransaction($0, work) }
    }

    /// Leases a connection, taking another when the pool hands out one that closed since its last
    /// use (nothing was sent on it, so trying again is safe).
    private func withLease<T>(_ holder: LeaseHolder, _ work: (GuardedConnection) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await client.withConnection { connection in
                    guard !connection.isClosed else { throw ClosedBeforeUse() }
                    holder.hold(connection)
                    defer { holder.hold(nil) }
                    return try await work(GuardedConnection(base: connection))
                }
            } catch is ClosedBeforeUse where attempt < Limits.closedConnectionRetries {
                attempt += 1
                await Task.yield()
            } catch let error as PSQLError {
                throw Self.translate(error)
            } catch is ClosedBeforeUse, is GuardedConnection.ConnectionClosed {
                throw InventoryError.storageUnavailable(reason: "the connection to PostgreSQL closed")
            }
        }
    }

    /// The pool handed out a connection that had closed; nothing was sent on it.
    private struct ClosedBeforeUse: Error {}

    /// BEGIN, `work`, COMMIT; on failure ROLLBACK, unless the connection closed (the server rolled
    /// back when the session ended, and a statement sent now would never be answered).
    private func inTransaction<T>(_ connection: GuardedConnection, _ work: (GuardedConnection) async throws -> T)
        async throws -> T
    {
        try await connection.query("BEGIN", logger: logger)
        do {
            let value = try await work(connection)
            try await connection.query("COMMIT", logger: logger)
            return value
        } catch {
            if !connection.isClosed { _ = try? await connection.query("ROLLBACK", logger: logger) }
            throw error
        }
    }

    /// Keeps domain errors; maps lost connections and an overloaded or stopping server to
    /// `storageUnavailable` (503); leaves anything else (a broken invariant the database caught) as it
    /// is, to be logged and answered 500.
    static func translate(_ error: any Error) -> any Error {
        guard let error = error as? PSQLError else { return error }
        switch error.code {
        case .server:
            // Connection trouble (08), too many connections or no space (53), a shutting-down server (57).
            let state = error.serverInfo?[.sqlState] ?? ""
            if ["08", "53", "57"].contains(String(state.prefix(2))) {
                return InventoryError.storageUnavailable(reason: "PostgreSQL refused: SQLSTATE \(state)")
            }
            return error
        default:
            return InventoryError.storageUnavailable(reason: "\(error.code)")
        }
    }
}

/// How a read row is held until the transaction ends.
enum RowLock {
    case none
    /// Kept from being deleted or changed, while others may read and share it.
    case share
    /// Kept from everyone else.
    case update

    var clause: String {
        switch self {
        case .none: ""
        case .share: "FOR SHARE"
        case .update: "FOR UPDATE"
        }
    }
}

extension PostgresRowSequence {
    /// Collects every row through `transform`.
    func collectRows<T>(_ transform: (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
        var result: [T] = []
        for try await row in self {
            result.append(try transform(row.makeRandomAccess()))
        }
        return result
    }
}

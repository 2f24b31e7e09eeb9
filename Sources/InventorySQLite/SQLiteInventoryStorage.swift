import Foundation
import GRDB
import InventoryCore

/// The embedded backend: one SQLite file in WAL mode, shared safely by a server and the CLI.
///
/// Writes go through GRDB's single writer in `BEGIN IMMEDIATE` transactions, so reading the
/// on-hand, applying the journal and writing the movements cannot interleave with another write,
/// in this process or another one using the same file. Every statement is written with GRDB's SQL
/// interpolation: values are bound, and only fragments the code chose are spliced in.
public final class SQLiteInventoryStorage: InventoryStorage {
    let database: DatabasePool
    /// How long each call may take, waiting for another process's write lock included.
    let deadline: DatabaseDeadline
    /// Where the times this storage records come from.
    let time: any TimeSource

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    ///
    /// Throws `InventoryError.storageUnavailable` when the file cannot be opened or was written by a
    /// newer Godown whose schema this build does not know.
    public init(path: String, deadline: DatabaseDeadline = DatabaseDeadline(), time: any TimeSource = SystemTime())
        throws
    {
        self.deadline = deadline
        self.time = time
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Another process (the CLI next to a running server) may hold the write lock briefly; waiting
        // longer than the deadline would only make the caller's answer late.
        configuration.busyMode = .timeout(TimeInterval(deadline.timeout.components.seconds) + 1)
        configuration.prepareDatabase { db in
            // FULL makes every acknowledged commit survive a power cut, not just a crash.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            database = try DatabasePool(path: path, configuration: configuration)
            let migrator = SQLiteSchema.migrator
            if try database.read({ try migrator.hasBeenSuperseded($0) }) {
                throw InventoryError.storageUnavailable(
                    reason: "the database at \(path) was written by a newer Godown; upgrade this one")
            }
            try migrator.migrate(database)
        } catch let error as DatabaseError {
            throw InventoryError.storageUnavailable(reason: "cannot open \(path): \(error.message ?? "\(error)")")
        }
    }

    /// This storage's database, with another deadline on each call.
    func withDeadline(_ deadline: DatabaseDeadline) -> SQLiteInventoryStorage {
        SQLiteInventoryStorage(database: database, deadline: deadline, time: time)
    }

    private init(database: DatabasePool, deadline: DatabaseDeadline, time: any TimeSource) {
        self.database = database
        self.deadline = deadline
        self.time = time
    }

    public func checkHealth() async throws {
        _ = try await read { db in try Int.fetchOne(db, literal: "SELECT 1") }
    }

    // MARK: Access

    /// Runs `work` in a read transaction within the deadline, translating driver errors.
    func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await deadline.run { try await self.unboundedRead(work) }
    }

    /// Runs `work` in an IMMEDIATE write transaction within the deadline, rolled back when it throws
    /// (or when the deadline interrupts it). `work` gets the time of the change, in whole
    /// milliseconds as stored.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database, Date) throws -> T) async throws -> T {
        try await deadline.run {
            do {
                let now = self.time.now.truncatedToMilliseconds
                return try await self.database.write { try work($0, now) }
            } catch let error as DatabaseError {
                throw Self.translate(error)
            }
        }
    }

    /// Runs `work` in a read transaction with no deadline: a whole-ledger walk takes as long as it takes.
    func unboundedRead<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.read(work)
        } catch let error as DatabaseError {
            throw Self.translate(error)
        }
    }

    /// Maps driver errors that a caller can act on; anything else is a bug and stays as it is.
    static func translate(_ error: DatabaseError) -> Error {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            InventoryError.storageUnavailable(reason: "the database is busy; try again")
        case .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_CORRUPT:
            InventoryError.storageUnavailable(reason: error.message ?? "\(error.resultCode)")
        default:
            error
        }
    }

    static func requireStore(_ db: Database, id: Int64) throws -> Store {
        guard let row = try Row.fetchOne(db, literal: "SELECT * FROM stores WHERE id = \(id) AND deleted_at IS NULL")
        else { throw InventoryError.storeNotFound(id: id) }
        return store(row)
    }

    static func requireSupplier(_ db: Database, id: Int64) throws -> Supplier {
        guard let row = try Row.fetchOne(db, literal: "SELECT * FROM suppliers WHERE id = \(id) AND deleted_at IS NULL")
        else { throw InventoryError.supplierNotFound(id: id) }
        return supplier(row)
    }

    static func requireCity(_ db: Database, id: Int64) throws -> City {
        guard let row = try Row.fetchOne(db, literal: "SELECT * FROM cities WHERE id = \(id) AND deleted_at IS NULL")
        else { throw InventoryError.cityNotFound(id: id) }
        return city(row)
    }
}

import InventoryCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO

/// A pooled connection that sends nothing once it has closed.
///
/// postgres-nio 1.33 writes a statement to its channel without asking to hear whether the write
/// failed. When PostgreSQL has ended the session (a restart, `pg_terminate_backend`) and the channel
/// has already closed, the write is dropped and the statement's answer never comes: the request
/// waits forever, holding its pool lease (upstream fixed it in vapor/postgres-nio#487 and reverted
/// the fix in #501). Every statement Godown sends goes through here, so a closed connection fails
/// the call at once instead.
struct GuardedConnection: Sendable {
    let base: PostgresConnection

    var isClosed: Bool { base.isClosed }

    @discardableResult
    func query(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        try requireOpen()
        return try await base.query(query, logger: logger)
    }

    func execute<Statement: PostgresPreparedStatement, Row>(_ statement: Statement, logger: Logger) async throws
        -> AsyncThrowingMapSequence<PostgresRowSequence, Row> where Row == Statement.Row
    {
        try requireOpen()
        return try await base.execute(statement, logger: logger)
    }

    func copyFrom(
        table: String, columns: [String], logger: Logger,
        writeData: (PostgresCopyFromWriter) async throws -> Void
    ) async throws {
        try requireOpen()
        try await base.copyFrom(table: table, columns: columns, logger: logger, writeData: writeData)
    }

    private func requireOpen() throws {
        guard !base.isClosed else { throw ConnectionClosed() }
    }

    /// Thrown instead of sending a statement on a closed connection.
    struct ConnectionClosed: Error {}
}

/// The connection a call holds, so that its deadline can close it: whatever the call waits on
/// then fails at once.
final class LeaseHolder: Sendable {
    private let connection = NIOLockedValueBox<PostgresConnection?>(nil)

    func hold(_ connection: PostgresConnection?) {
        self.connection.withLockedValue { $0 = connection }
    }

    func closeHeldConnection() {
        guard let held = connection.withLockedValue({ $0 }) else { return }
        let _: EventLoopFuture<Void> = held.close()
    }
}

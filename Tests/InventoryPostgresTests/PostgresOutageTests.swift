import Foundation
import InventoryCore
import InventoryTestBackends
import InventoryTesting
import NIOConcurrencyHelpers
import PostgresNIO
import Testing

@testable import InventoryPostgres

/// When PostgreSQL ends its sessions (a restart) or stops answering, every call still gets an
/// answer: a result, or `storageUnavailable` within the deadline, never a wait without end; and a
/// write cut off by its deadline is applied once when retried with its key.
@Suite struct PostgresOutageTests {
    /// The event listener outlives its connection: when PostgreSQL ends the listening session (as a
    /// restart does), it reconnects, wakes once to catch up, and wakes again on the next commit.
    @Test func theEventListenerReconnectsAfterItsSessionEnds() async throws {
        try await TemporaryPostgres.with { storage, client in
            let wakes = NIOLockedValueBox(0)
            let listener = PostgresEventListener(storage: storage, logger: TemporaryPostgres.logger) {
                wakes.withLockedValue { $0 += 1 }
            }
            let running = Task { try await listener.run() }
            defer { running.cancel() }
            let listening = try await Self.listeningSession(client)
            try await storage.createProduct(Fixtures.draft("FIRST"))
            try await Self.wait { wakes.withLockedValue { $0 } >= 2 }

            // When PostgreSQL ends the listening session
            let ended = try await client.query("SELECT pg_terminate_backend(\(listening)::INT4)::TEXT").collectStrings()
            #expect(ended == ["true"])
            _ = try await Self.listeningSession(client, other: listening)

            // Then a commit wakes it again
            let before = wakes.withLockedValue { $0 }
            try await storage.createProduct(Fixtures.draft("SECOND"))
            try await Self.wait { wakes.withLockedValue { $0 } > before }
            #expect(wakes.withLockedValue { $0 } > before)
        }
    }

    /// The backend pid of the session that is listening for events (other than `other`), once there is one.
    static func listeningSession(_ client: PostgresClient, other: Int64 = 0) async throws -> Int64 {
        for _ in 0..<200 {
            let pids = try await client.query(
                """
                SELECT pid::INT8 FROM pg_stat_activity
                WHERE datname = current_database() AND query LIKE 'LISTEN%' AND state = 'idle' AND pid <> \(other)
                """
            ).decode(Int64.self).reduce(into: [Int64]()) { $0.append($1) }
            if let pid = pids.first { return pid }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CancellationError()
    }

    static func wait(until done: () -> Bool) async throws {
        for _ in 0..<200 where !done() { try await Task.sleep(for: .milliseconds(50)) }
    }

    @Test func callsAfterPostgreSQLEndsEverySessionAreAnswered() async throws {
        try await TemporaryPostgres.with { storage, client in
            try await storage.createProduct(Fixtures.draft("RICE"))
            _ = try await storage.record(Fixtures.command("RICE", .stockIn, "100"))
            // Given a pool holding several connections (four statements at once need four),
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        _ = try await client.query("SELECT pg_sleep(0.3)").reduce(into: 0) { count, _ in count += 1 }
                    }
                }
                try await group.waitForAll()
            }
            // when PostgreSQL ends every session on the database, as a restart does,
            let ended = try await client.query(
                """
                SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::INT8 FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                """
            ).decode(Int64.self).reduce(into: [Int64]()) { $0.append($1) }
            #expect(try #require(ended.first) >= 2)
            try await Self.waitUntilOneSessionRemains(client)

            // then every later call is answered, by a fresh connection rather than one that closed.
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        do {
                            if index.isMultiple(of: 2) {
                                _ = try await storage.record(Fixtures.command("RICE", .sale, "1"))
                            } else {
                                _ = try await storage.stockLevel(storeID: 1, product: .sku(SKU("RICE")))
                            }
                            return "answered"
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes == Array(repeating: "answered", count: 20))
            #expect(try await storage.onHand("RICE") == Fixtures.quantity("90"))
            #expect(try await storage.verifyLedger().isIntact)
        }
    }

    /// The root cause of requests that never got an answer during a restart: postgres-nio drops a
    /// statement written to a connection that has already closed, and its caller waits forever.
    @Test func aStatementOnAConnectionPostgreSQLHasEndedFailsAtOnce() async throws {
        try await TemporaryPostgres.with { storage, client in
            let started = ContinuousClock.now
            await #expect {
                try await storage.transaction { connection in
                    let pid = try await connection.query("SELECT pg_backend_pid()", logger: TemporaryPostgres.logger)
                        .decode(Int32.self).reduce(into: [Int32]()) { $0.append($1) }[0]
                    // PostgreSQL ends this session between two statements of the transaction,
                    _ = try await client.query("SELECT pg_terminate_backend(\(pid))").reduce(into: 0) { count, _ in
                        count += 1
                    }
                    while !connection.isClosed { try await Task.sleep(for: .milliseconds(10)) }
                    // and the next statement fails at once rather than waiting for an answer that cannot come.
                    _ = try await connection.query("SELECT 1", logger: TemporaryPostgres.logger)
                }
            } throws: { error in
                guard case InventoryError.storageUnavailable(let reason) = error else { return false }
                return reason == "the connection to PostgreSQL closed"
            }
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test func aWritePastItsDeadlineIsRefusedAndItsRetryAppliesOnce() async throws {
        try await TemporaryPostgres.with { storage, client in
            try await storage.createProduct(Fixtures.draft("DAL"))
            _ = try await storage.record(Fixtures.command("DAL", .stockIn, "10"))
            let batch = try Fixtures.batch([Fixtures.command("DAL", .sale, "1")], key: "till-1-0001")
            // Given another session holding the store's audit chain, which every write at the store takes,
            let holding = ManualSignal()
            let release = ManualSignal()
            async let holder: Void = client.withTransaction(logger: TemporaryPostgres.logger) { connection in
                try await connection.query(
                    "SELECT 1 FROM audit_chains WHERE chain = 1 FOR UPDATE", logger: TemporaryPostgres.logger)
                holding.signal()
                await release.wait()
            }
            await holding.wait()
            // a write answers storageUnavailable once its deadline passes, whatever it was waiting on;
            let started = ContinuousClock.now
            await #expect {
                _ = try await storage.withDeadline(DatabaseDeadline(timeout: .seconds(1))).recordMovements(
                    batch, by: .test)
            } throws: { error in
                guard case InventoryError.storageUnavailable(let reason) = error else { return false }
                return reason.hasPrefix("it did not answer within 1 s")
            }
            #expect(ContinuousClock.now - started < .seconds(10))
            release.signal()
            try await holder
            // retried with the same key, it is applied once, and a further retry replays it.
            let retried = try await storage.recordMovements(batch, by: .test)
            let replayed = try await storage.recordMovements(batch, by: .test)
            #expect(replayed.replayed && replayed.movements == retried.movements)
            #expect(try await storage.onHand("DAL") == Fixtures.quantity("9"))
            #expect(try await storage.verifyLedger().isIntact)
        }
    }

    @Test func whilePostgreSQLIsDownCallsAnswerWithinTheDeadline() async throws {
        try await TemporaryPostgres.withUnreachable(deadline: DatabaseDeadline(timeout: .seconds(1))) { storage in
            let started = ContinuousClock.now
            await #expect {
                _ = try await storage.record(Fixtures.command("RICE", .stockIn, "1"))
            } throws: { error in
                guard case InventoryError.storageUnavailable = error else { return false }
                return true
            }
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    private static func waitUntilOneSessionRemains(_ client: PostgresClient) async throws {
        for _ in 0..<100 {
            // This count may itself be sent on a pooled connection that was just ended (the storage's
            // wake-up after the last commit can leave one more in the pool): then it asks again.
            let sessions = try? await client.query(
                "SELECT count(*)::INT8 FROM pg_stat_activity WHERE datname = current_database()"
            ).decode(Int64.self).reduce(into: [Int64]()) { $0.append($1) }
            if sessions == [1] {
                // The closed sessions' last words (57P01) have reached the pool by now.
                try await Task.sleep(for: .milliseconds(200))
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("PostgreSQL did not end the sessions")
    }
}

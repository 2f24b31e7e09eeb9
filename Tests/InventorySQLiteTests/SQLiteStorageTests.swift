import Foundation
import GRDB
import InventoryCore
import InventoryTestBackends
import InventoryTesting
import Testing

@testable import InventorySQLite

/// The SQLite backend passes the storage contract on a real temporary file, and its database
/// itself refuses what would break the ledger.
@Suite struct SQLiteStorageTests {
    typealias Storage = SQLiteInventoryStorage

    // The storage contract, concern by concern.

    @Test(arguments: LedgerContract<Storage>.Check.allCases)
    func ledger(_ check: LedgerContract<Storage>.Check) async throws {
        let time = ManualTime()
        try await TemporarySQLite.with(time: time) { storage, _ in
            try await LedgerContract(storage: storage, time: time).run(check)
        }
    }

    @Test(arguments: CatalogContract<Storage>.Check.allCases)
    func catalog(_ check: CatalogContract<Storage>.Check) async throws {
        let time = ManualTime()
        try await TemporarySQLite.with(time: time) { storage, _ in
            try await CatalogContract(storage: storage, time: time).run(check)
        }
    }

    @Test(arguments: LocationContract<Storage>.Check.allCases)
    func locations(_ check: LocationContract<Storage>.Check) async throws {
        let time = ManualTime()
        try await TemporarySQLite.with(time: time) { storage, _ in
            try await LocationContract(storage: storage, time: time).run(check)
        }
    }

    @Test(arguments: TransferContract<Storage>.Check.allCases)
    func transfers(_ check: TransferContract<Storage>.Check) async throws {
        let time = ManualTime()
        try await TemporarySQLite.with(time: time) { storage, _ in
            try await TransferContract(storage: storage, time: time).run(check)
        }
    }

    @Test(arguments: EventContract<Storage>.Check.allCases)
    func events(_ check: EventContract<Storage>.Check) async throws {
        let time = ManualTime()
        try await TemporarySQLite.with(time: time) { storage, _ in
            try await EventContract(storage: storage, time: time).run(check)
        }
    }

    @Test(arguments: WebhookContract<Storage>.Check.allCases)
    func webhooks(_ check: WebhookContract<Storage>.Check) async throws {
        let time = ManualTime()
        try await TemporarySQLite.with(time: time) { storage, _ in
            try await WebhookContract(storage: storage, time: time).run(check)
        }
    }

    @Test(arguments: AlertContract<Storage>.Check.allCases)
    func alerts(_ check: AlertContract<Storage>.Check) async throws {
        let time = ManualTime()
        try await TemporarySQLite.with(time: time) { storage, _ in
            try await AlertContract(storage: storage, time: time).run(check)
        }
    }

    @Test(arguments: ReportContract<Storage>.Check.allCases)
    func reports(_ check: ReportContract<Storage>.Check) async throws {
        let time = ManualTime()
        try await TemporarySQLite.with(time: time) { storage, _ in
            try await ReportContract(storage: storage, time: time).run(check)
        }
    }

    @Test(arguments: SeedContract<Storage>.Check.allCases)
    func seed(_ check: SeedContract<Storage>.Check) async throws {
        let time = ManualTime()
        try await TemporarySQLite.with(time: time) { storage, _ in
            try await SeedContract(storage: storage, time: time).run(check)
        }
    }

    /// Another process holding the write lock (a stuck script on the shop's machine) cannot keep a
    /// request waiting past its deadline; the write, retried with its key, is applied once.
    @Test func aWritePastItsDeadlineIsRefusedAndItsRetryAppliesOnce() async throws {
        try await TemporarySQLite.with { storage, path in
            try await storage.createProduct(Fixtures.draft("DAL"))
            _ = try await storage.record(Fixtures.command("DAL", .stockIn, "10"))
            let batch = try Fixtures.batch([Fixtures.command("DAL", .sale, "1")], key: "till-1-0001")
            // Given another connection holding the file's write lock (on a thread of its own, as another process would),
            let other = try DatabaseQueue(path: path)
            let locked = DispatchSemaphore(value: 0)
            let release = DispatchSemaphore(value: 0)
            let done = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                try? other.inDatabase { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    locked.signal()
                    release.wait()
                    try db.execute(sql: "ROLLBACK")
                }
                done.signal()
            }
            locked.wait()
            // a write answers storageUnavailable within its deadline;
            let started = ContinuousClock.now
            await #expect {
                _ = try await storage.withDeadline(DatabaseDeadline(timeout: .seconds(1))).recordMovements(
                    batch, by: .test)
            } throws: { error in
                guard case InventoryError.storageUnavailable = error else { return false }
                return true
            }
            #expect(ContinuousClock.now - started < .seconds(10))
            release.signal()
            done.wait()
            // retried with the same key, it is applied once, and a further retry replays it.
            let retried = try await storage.recordMovements(batch, by: .test)
            let replayed = try await storage.recordMovements(batch, by: .test)
            #expect(replayed.replayed && replayed.movements == retried.movements)
            #expect(try await storage.onHand("DAL") == Fixtures.quantity("9"))
            #expect(try await storage.verifyLedger().isIntact)
        }
    }

    /// An audit log edited, shortened or padded by hand in the database is caught at the first entry it touches.
    @Test(arguments: AuditTampering.allCases)
    func auditVerifyNamesTheTamperedEntry(_ tampering: AuditTampering) async throws {
        try await TemporarySQLite.with { storage, path in
            for sku in ["A", "B", "C", "D", "E"] { try await storage.createProduct(Fixtures.draft(sku)) }
            #expect(try await storage.verifyAuditLog().isIntact)
            let queue = try DatabaseQueue(path: path)
            // The database itself refuses changes to the log.
            await #expect(throws: DatabaseError.self) {
                try await queue.write {
                    try $0.execute(sql: "UPDATE audit_log SET actor_name = 'mallory' WHERE id = 2")
                }
            }
            try await queue.write { db in
                try db.execute(sql: "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete")
                try db.execute(sql: tampering.sql)
            }
            let result = try await storage.verifyAuditLog()
            #expect(result.breaks.map(\.entryID) == [tampering.brokenEntry])
            #expect(result.breaks.map(\.problem) == [tampering.problem])
        }
    }

    @Test func verifyReportsAnEditedBalanceAndAMissingMovement() async throws {
        try await TemporarySQLite.with { storage, path in
            // Given an intact ledger
            try await storage.createProduct(Fixtures.draft("RICE", unit: .kg))
            try await storage.record(Fixtures.command("RICE", .stockIn, "10"))
            try await storage.record(Fixtures.command("RICE", .sale, "3"))
            try await storage.record(Fixtures.command("RICE", .sale, "2"))
            #expect(try await storage.verifyLedger().isIntact)

            // When someone edits a balance and deletes a movement behind Godown's back
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(
                    sql: "DROP TRIGGER movements_append_only_update; DROP TRIGGER movements_append_only_delete")
                try db.execute(sql: "UPDATE movements SET balance_after = 8000 WHERE id = 2")
                try db.execute(sql: "DELETE FROM movements WHERE id = 3")
            }

            // Then verify names both breaks
            let result = try await storage.verifyLedger()
            #expect(!result.isIntact)
            #expect(
                result.breaks.map(\.description) == [
                    "store 1, product 1, movement 2: balance_after is 8, the chain says 7",
                    "store 1, product 1: on-hand is 5, the ledger sums to 8",
                ])
        }
    }

    @Test func theDatabaseRefusesEditsNegativeStockAndBrokenChains() async throws {
        try await TemporarySQLite.with { storage, path in
            try await storage.createProduct(Fixtures.draft("RICE", unit: .kg))
            try await storage.record(Fixtures.command("RICE", .stockIn, "1"))
            let queue = try DatabaseQueue(path: path)
            let attempts = [
                "UPDATE movements SET delta = 5000",
                "DELETE FROM movements",
                "UPDATE stock_levels SET on_hand = -1",
                """
                INSERT INTO movements (store_id, product_id, kind, delta, balance_after, occurred_at, recorded_at)
                VALUES (1, 1, 'stock_in', 1000, 5000, 0, 0)
                """,
                "INSERT INTO movements (store_id, product_id, kind, delta, balance_after, occurred_at, recorded_at) VALUES (1, 1, 'sale', -2000, -1000, 0, 0)",
                "INSERT INTO products (sku, name, unit, created_at, updated_at) VALUES ('RICE', 'again', 'kg', 0, 0)",
            ]
            for sql in attempts {
                #expect(throws: DatabaseError.self, "\(sql)") { try queue.write { try $0.execute(sql: sql) } }
            }
            #expect(try await storage.onHand("RICE") == Fixtures.quantity("1"))
        }
    }

    @Test func twoConnectionsToOneFileShareTheLedgerSafely() async throws {
        // Like the CLI next to a running server: two pools on the same WAL file.
        try await TemporarySQLite.with { server, path in
            let cli = try SQLiteInventoryStorage(path: path)
            try await server.createProduct(Fixtures.draft("ATTA"))
            try await cli.record(Fixtures.command("ATTA", .stockIn, "30"))
            let sold = try await withThrowingTaskGroup(of: Int.self) { group in
                for writer in [server, cli] {
                    group.addTask {
                        var count = 0
                        for _ in 0..<25 {
                            do {
                                try await writer.record(Fixtures.command("ATTA", .sale, "1"))
                                count += 1
                            } catch InventoryError.insufficientStock {}
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(sold == 30)
            #expect(try await server.onHand("ATTA") == .zero)
            #expect(try await cli.verifyLedger().isIntact)
        }
    }

    @Test func aSchemaNewerThanThisBuildIsRefused() async throws {
        try await TemporarySQLite.with { _, path in
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('9999_from_the_future')")
            }
            #expect {
                _ = try SQLiteInventoryStorage(path: path)
            } throws: { error in
                guard case InventoryError.storageUnavailable(let reason) = error else { return false }
                return reason.contains("newer Godown")
            }
        }
    }
}

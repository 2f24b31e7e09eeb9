import Foundation
import InventoryCore
import InventoryPostgres
import InventoryTestBackends
import InventoryTesting
import PostgresNIO
import Testing

/// The PostgreSQL backend passes the storage contract on a real PostgreSQL 15 server, and the
/// database itself refuses what would break the ledger.
@Suite struct PostgresStorageTests {
    typealias Storage = PostgresInventoryStorage

    // The storage contract, concern by concern.

    @Test(arguments: LedgerContract<Storage>.Check.allCases)
    func ledger(_ check: LedgerContract<Storage>.Check) async throws {
        let time = ManualTime()
        try await TemporaryPostgres.with(time: time) { storage, _ in
            try await LedgerContract(storage: storage, time: time).run(check)
        }
    }

    @Test(arguments: CatalogContract<Storage>.Check.allCases)
    func catalog(_ check: CatalogContract<Storage>.Check) async throws {
        let time = ManualTime()
        try await TemporaryPostgres.with(time: time) { storage, _ in
            try await CatalogContract(storage: storage, time: time).run(check)
        }
    }

    @Test(arguments: LocationContract<Storage>.Check.allCases)
    func locations(_ check: LocationContract<Storage>.Check) async throws {
        let time = ManualTime()
        try await TemporaryPostgres.with(time: time) { storage, _ in
            try await LocationContract(storage: storage, time: time).run(check)
        }
    }

    @Test(arguments: TransferContract<Storage>.Check.allCases)
    func transfers(_ check: TransferContract<Storage>.Check) async throws {
        let time = ManualTime()
        try await TemporaryPostgres.with(time: time) { storage, _ in
            try await TransferContract(storage: storage, time: time).run(check)
        }
    }

    @Test(arguments: EventContract<Storage>.Check.allCases)
    func events(_ check: EventContract<Storage>.Check) async throws {
        let time = ManualTime()
        try await TemporaryPostgres.with(time: time) { storage, _ in
            try await EventContract(storage: storage, time: time).run(check)
        }
    }

    @Test(arguments: WebhookContract<Storage>.Check.allCases)
    func webhooks(_ check: WebhookContract<Storage>.Check) async throws {
        let time = ManualTime()
        try await TemporaryPostgres.with(time: time) { storage, _ in
            try await WebhookContract(storage: storage, time: time).run(check)
        }
    }

    @Test(arguments: AlertContract<Storage>.Check.allCases)
    func alerts(_ check: AlertContract<Storage>.Check) async throws {
        let time = ManualTime()
        try await TemporaryPostgres.with(time: time) { storage, _ in
            try await AlertContract(storage: storage, time: time).run(check)
        }
    }

    @Test(arguments: ReportContract<Storage>.Check.allCases)
    func reports(_ check: ReportContract<Storage>.Check) async throws {
        let time = ManualTime()
        try await TemporaryPostgres.with(time: time) { storage, _ in
            try await ReportContract(storage: storage, time: time).run(check)
        }
    }

    @Test(arguments: SeedContract<Storage>.Check.allCases)
    func seed(_ check: SeedContract<Storage>.Check) async throws {
        let time = ManualTime()
        try await TemporaryPostgres.with(time: time) { storage, _ in
            try await SeedContract(storage: storage, time: time).run(check)
        }
    }

    /// The concurrency checks above prove their claims only at the isolation level the service really runs at:
    /// PostgreSQL's default, read committed, which is weaker than serializable. A cluster configured otherwise
    /// would make them pass for the wrong reason.
    @Test func theContractsRunAtReadCommitted() async throws {
        try await TemporaryPostgres.with { _, client in
            let isolation = try await client.query("SHOW default_transaction_isolation").collectStrings()
            #expect(isolation == ["read committed"])
        }
    }

    /// The audit log is partitioned by month, with this month's partition and the next eleven ready,
    /// so old months can be detached for archiving without rewriting the table.
    @Test func theAuditLogIsPartitionedByMonth() async throws {
        try await TemporaryPostgres.with { storage, client in
            try await storage.createProduct(Fixtures.draft("A"))
            let partitions = try await client.query(
                """
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'audit_log'::regclass ORDER BY c.relname
                """
            ).collectStrings()
            #expect(partitions.count == 14)
            #expect(partitions.contains("audit_log_default"))
            let month = try await client.query("SELECT 'audit_log_' || to_char(now() AT TIME ZONE 'UTC', 'YYYY_MM')")
                .collectStrings()
            let holding = try await client.query(
                "SELECT tableoid::regclass::text FROM audit_log"
            ).collectStrings()
            #expect(holding == month)
            // Detaching a month is a catalog change, not a rewrite; the rest of the log stays readable.
            try await client.query(PostgresQuery(unsafeSQL: "ALTER TABLE audit_log DETACH PARTITION \(month[0])"))
            #expect(try await storage.verifyAuditLog().entriesChecked == 0)
        }
    }

    /// An audit log edited, shortened or padded by hand in the database is caught at the first entry it touches.
    @Test(arguments: AuditTampering.allCases)
    func auditVerifyNamesTheTamperedEntry(_ tampering: AuditTampering) async throws {
        try await TemporaryPostgres.with { storage, client in
            for sku in ["A", "B", "C", "D", "E"] { try await storage.createProduct(Fixtures.draft(sku)) }
            #expect(try await storage.verifyAuditLog().isIntact)
            try await client.withConnection { connection in
                let logger = TemporaryPostgres.logger
                // The database itself refuses changes to the log.
                await #expect(throws: PSQLError.self) {
                    try await connection.query(
                        "UPDATE audit_log SET actor_name = 'mallory' WHERE id = 2", logger: logger)
                }
                // A superuser can switch triggers off for the session, as an intruder with full access would.
                try await connection.query("SET session_replication_role = replica", logger: logger)
                try await connection.query(PostgresQuery(unsafeSQL: tampering.sql), logger: logger)
                try await connection.query("SET session_replication_role = DEFAULT", logger: logger)
            }
            let result = try await storage.verifyAuditLog()
            #expect(result.breaks.map(\.entryID) == [tampering.brokenEntry])
            #expect(result.breaks.map(\.problem) == [tampering.problem])
        }
    }

    @Test func verifyReportsAnEditedBalanceAndAMissingMovement() async throws {
        try await TemporaryPostgres.with { storage, client in
            try await storage.createProduct(Fixtures.draft("RICE", unit: .kg))
            try await storage.record(Fixtures.command("RICE", .stockIn, "10"))
            let edited = try await storage.record(Fixtures.command("RICE", .sale, "3")).id
            let deleted = try await storage.record(Fixtures.command("RICE", .sale, "2")).id
            #expect(try await storage.verifyLedger().isIntact)

            // Only by switching the triggers off, as a superuser, can rows be changed at all.
            try await client.withConnection { connection in
                try await connection.query(
                    "ALTER TABLE movements DISABLE TRIGGER USER", logger: TemporaryPostgres.logger)
                try await connection.query(
                    "UPDATE movements SET balance_after = 8000 WHERE id = \(edited)", logger: TemporaryPostgres.logger)
                try await connection.query(
                    "DELETE FROM movements WHERE id = \(deleted)", logger: TemporaryPostgres.logger)
            }

            let result = try await storage.verifyLedger()
            #expect(
                result.breaks.map(\.description) == [
                    "store 1, product 1, movement \(edited): balance_after is 8, the chain says 7",
                    "store 1, product 1: on-hand is 5, the ledger sums to 8",
                ])
        }
    }

    /// Migrations 6 (the set-based ledger), 7 (covering report indexes) and 8 (the event log) carry a
    /// ledger written before them: each stock level learns its last movement, the chains still
    /// verify, reports read the old movements, and new movements continue the old chains and publish
    /// their events.
    @Test func laterMigrationsCarryALedgerWrittenBeforeThem() async throws {
        try await TemporaryPostgres.with(migratedUpTo: 5) { storage, client in
            let dayAgo = Date().addingTimeInterval(-86_400)
            // As a version-5 Godown wrote them: the product, then a row at a time, through the per-row ledger trigger.
            let rice = try await client.query(
                """
                INSERT INTO products (sku, name, unit, sale_price, created_at, updated_at)
                VALUES ('RICE', 'Product RICE', 'kg', 6000, \(dayAgo), \(dayAgo)) RETURNING id::TEXT
                """
            ).collectStrings().compactMap { Int64($0) }[0]
            // As a version-5 Godown wrote them: a row at a time, through the per-row ledger trigger.
            try await client.query("INSERT INTO stock_levels (store_id, product_id, on_hand) VALUES (1, \(rice), 0)")
            let rows: [(kind: String, delta: Int64, balance: Int64, price: Int64?)] = [
                ("stock_in", 10_000, 10_000, nil), ("sale", -3_000, 7_000, 6_000), ("sale", -1_500, 5_500, 6_000),
            ]
            for row in rows {
                try await client.query(
                    """
                    INSERT INTO movements (store_id, product_id, kind, delta, balance_after, unit_price, occurred_at, recorded_at)
                    VALUES (1, \(rice), \(row.kind), \(row.delta), \(row.balance), \(row.price), \(dayAgo), \(dayAgo))
                    """)
            }

            try await storage.migrate()
            let versions = try await storage.schemaVersions()
            #expect(versions.database == versions.known)
            let last = try await client.query(
                "SELECT ((SELECT last_movement_id FROM stock_levels) = (SELECT max(id) FROM movements))::TEXT"
            ).collectStrings()
            #expect(last == ["true"])
            #expect(try await storage.verifyLedger().isIntact)

            let sales = try await storage.salesReport(
                SalesReportQuery(
                    scope: .all,
                    period: .day, grouping: .product, from: dayAgo.addingTimeInterval(-3_600), to: Date(),
                    utcOffsetMinutes: 0))
            #expect(
                sales.rows.map { "\($0.groupName) \($0.quantity) \($0.revenue) \($0.sales)" } == ["RICE 4.5 270.00 2"])
            let history = try await storage.movements(
                MovementQuery(scope: .all, storeID: 1, from: dayAgo.addingTimeInterval(-3_600), page: PageRequest()))
            #expect(history.items.map(\.balanceAfter.description) == ["5.5", "7", "10"])

            let sale = try await storage.record(Fixtures.command("RICE", .sale, "2"))
            #expect(sale.balanceAfter.description == "3.5")
            #expect(try await storage.verifyLedger().isIntact)
            let events = try await EventContract(storage: storage, time: ManualTime()).allEvents(count: 2)
            #expect(events.map(\.type) == [.movementRecorded, .stockChanged])
        }
    }

    /// Event ids are taken before commit, so they commit out of order. A reader never passes an
    /// event whose transaction is still open, and delivers it once it commits, before what
    /// committed meanwhile.
    @Test func aReaderNeverPassesAnEventWhoseTransactionIsStillOpen() async throws {
        try await TemporaryPostgres.with { storage, client in
            let contract = EventContract(storage: storage, time: ManualTime())
            try await storage.createProduct(Fixtures.draft("FIRST"))
            let before = try await contract.allEvents(count: 1)
            let cursor = before.last!.position
            let held = ManualSignal()
            let release = ManualSignal()
            // A writer that appends its event and then waits before committing
            let slow = Task {
                try await client.withConnection { connection in
                    let logger = TemporaryPostgres.logger
                    try await connection.query("BEGIN", logger: logger)
                    try await connection.query(
                        """
                        INSERT INTO events (type, store_id, audience, recorded_at, payload)
                        VALUES ('product.updated', NULL, 'readers', now(), '{"slow":true}')
                        """, logger: logger)
                    held.signal()
                    await release.wait()
                    try await connection.query("COMMIT", logger: logger)
                }
            }
            await held.wait()
            // While it is open, others commit
            for sku in ["A", "B", "C"] { try await storage.createProduct(Fixtures.draft(sku)) }
            for _ in 0..<5 {
                let batch = try await storage.events(EventQuery(after: cursor, scope: .all, administrator: true))
                #expect(batch.events.isEmpty, "a reader must not pass the open transaction")
                #expect(batch.reachedPosition == cursor)
                try await Task.sleep(for: .milliseconds(20))
            }
            // Once it commits, the reader gets it and then the later ones, each once
            release.signal()
            try await slow.value
            let after = try await contract.allEvents(after: cursor, count: 4)
            #expect(after.map(\.payload.isEmpty) == [false, false, false, false])
            #expect(after.first?.payload == #"{"slow":true}"#)
            #expect(after.dropFirst().map(\.type) == [.productCreated, .productCreated, .productCreated])
        }
    }

    @Test func theDatabaseRefusesEditsNegativeStockAndBrokenChains() async throws {
        try await TemporaryPostgres.with { storage, client in
            try await storage.createProduct(Fixtures.draft("RICE", unit: .kg))
            try await storage.record(Fixtures.command("RICE", .stockIn, "1"))
            let attempts: [PostgresQuery] = [
                "UPDATE movements SET delta = 5000",
                "DELETE FROM movements",
                "UPDATE stock_levels SET on_hand = 0",
                "UPDATE stock_levels SET on_hand = -1",
                "INSERT INTO stock_levels (store_id, product_id, on_hand) VALUES (1, 1, 5) ON CONFLICT (store_id, product_id) DO UPDATE SET on_hand = 5",
                """
                INSERT INTO movements (store_id, product_id, kind, delta, balance_after, occurred_at, recorded_at)
                VALUES (1, 1, 'stock_in', 1000, 5000, now(), now())
                """,
                """
                INSERT INTO movements (store_id, product_id, kind, delta, balance_after, occurred_at, recorded_at)
                VALUES (1, 1, 'sale', -2000, -1000, now(), now())
                """,
                "INSERT INTO products (sku, name, unit, created_at, updated_at) VALUES ('RICE', 'again', 'kg', now(), now())",
            ]
            for attempt in attempts {
                await #expect(throws: PSQLError.self, "\(attempt.sql)") { try await client.query(attempt) }
            }
            #expect(try await storage.onHand("RICE") == Fixtures.quantity("1"))
            // A movement that continues the chain is accepted and moves on-hand with it.
            try await client.query(
                """
                INSERT INTO movements (store_id, product_id, kind, delta, balance_after, occurred_at, recorded_at)
                VALUES (1, 1, 'stock_in', 1000, 2000, now(), now())
                """)
            #expect(try await storage.onHand("RICE") == Fixtures.quantity("2"))
            #expect(try await storage.verifyLedger().isIntact)
        }
    }

    @Test func healthAnswersPromptlyWhenPostgreSQLIsDown() async throws {
        // A port nothing listens on: connections are refused, and the pool keeps retrying.
        try await TemporaryPostgres.withUnreachable(deadline: DatabaseDeadline()) { storage in
            // The health check's own deadline answers, not the pool giving up about a minute later.
            await #expect {
                try await storage.checkHealth()
            } throws: { error in
                guard case InventoryError.storageUnavailable(let reason) = error else { return false }
                return reason.hasPrefix("it did not answer within 2 s")
            }
        }
    }

    @Test func aSchemaNewerThanThisBuildIsRefused() async throws {
        try await TemporaryPostgres.with { storage, client in
            let versions = try await storage.schemaVersions()
            #expect(versions.database == versions.known)
            try await client.query("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from the future')")
            await #expect {
                try await storage.migrate()
            } throws: { error in
                guard case InventoryError.storageUnavailable(let reason) = error else { return false }
                return reason.contains("newer than this Godown knows")
            }
            // Migrating twice is harmless.
            try await client.query("DELETE FROM schema_migrations WHERE version = 9999")
            try await storage.migrate()
        }
    }
}

extension PostgresRowSequence {
    func collectStrings() async throws -> [String] {
        var result: [String] = []
        for try await value in self.decode(String.self) { result.append(value) }
        return result
    }
}

import Foundation
import InventoryCore
import PostgresNIO

extension PostgresInventoryStorage {
    public func recordMovements(_ batch: MovementBatch, by context: ChangeContext) async throws -> RecordedMovements {
        try await IdempotencyClaim.scoping(batch.idempotency, to: context.actor) { claim in
            var batch = batch
            batch.idempotency = claim
            return try await recordScoped(batch, by: context).unscoped
        }
    }

    /// Records a batch whose idempotency key is already scoped to its caller: tries the
    /// two-round-trip optimistic path a few times (see `recordOptimistically`), then takes the locks
    /// and records with the authoritative answer.
    private func recordScoped(_ batch: MovementBatch, by context: ChangeContext) async throws -> RecordedMovements {
        attempts: for _ in 0..<Limits.optimisticRecordAttempts {
            switch try await recordOptimistically(batch, by: context) {
            case .recorded(let recorded): return recorded
            case .raced: continue
            case .needsLocks: break attempts
            }
        }
        return try await recordLocking(batch, by: context)
    }

    /// Records under locks in one transaction: store and products shared, the store's audit chain,
    /// then the stock rows in id order.
    func recordLocking(_ batch: MovementBatch, by context: ChangeContext) async throws -> RecordedMovements {
        try await transaction { connection in
            _ = try await Self.requireStore(connection, id: batch.storeID, lock: "FOR SHARE", logger: self.logger)
            if let claim = batch.idempotency, let replay = try await self.claim(connection, claim, storeID: batch.storeID) {
                return replay
            }
            let now = Date().truncatedToMilliseconds
            // FOR SHARE keeps the products from being deleted until this transaction ends.
            let products = try await Self.requireProducts(
                connection, batch.commands.map(\.product), lock: "FOR SHARE", logger: self.logger)
            try await self.requireSuppliers(connection, ids: Set(batch.commands.compactMap(\.supplierID)))
            try await self.lockAuditChain(connection, chain: batch.storeID)
            var onHand = try await self.lockStock(
                connection, storeID: batch.storeID, productIDs: Set(products.values.map(\.id)))

            var movements: [Movement] = []
            for command in batch.commands {
                let product = products[command.product]!
                let posting = try Ledger.posting(
                    command, product: product, storeID: batch.storeID, onHand: onHand[product.id]!, now: now)
                onHand[product.id] = posting.balanceAfter
                movements.append(Movement(
                    id: 0, storeID: batch.storeID, productID: product.id, sku: product.sku, kind: command.kind,
                    delta: posting.delta, balanceAfter: posting.balanceAfter, reason: command.reason,
                    supplierID: command.supplierID, unitCost: command.unitCost, unitPrice: posting.unitPrice,
                    note: command.note, occurredAt: posting.occurredAt, recordedAt: now,
                    idempotencyKey: batch.idempotency?.key, recordedBy: context.actor))
            }
            let ids = try await self.insert(connection, movements)
            for index in movements.indices { movements[index].id = ids[index] }
            // Last, so the store's audit chain stays locked for as short a time as possible.
            try await self.appendAudit(
                connection,
                .change("movements.record", "store", id: batch.storeID, before: nil, after: movements, chain: batch.storeID),
                context, now: now)
            return RecordedMovements(movements: movements, replayed: false)
        }
    }

    /// Records the key, or when it exists answers the earlier movements (same request) or refuses.
    private func claim(_ connection: GuardedConnection, _ claim: IdempotencyClaim, storeID: Int64) async throws
        -> RecordedMovements?
    {
        guard try await isReplay(connection, claim, storeID: storeID) else { return nil }
        let movements = try await connection.query(
            """
            SELECT m.*, p.sku FROM movements m JOIN products p ON p.id = m.product_id
            WHERE m.idempotency_key = \(claim.key) ORDER BY m.id
            """, logger: logger
        ).collectRows(Self.movement)
        return RecordedMovements(movements: movements, replayed: true)
    }

    /// Records `claim.key` and answers false, or answers true when it was used before for the same
    /// request, or throws `idempotencyKeyReused`. A concurrent request with the same key waits on
    /// the key's row until the first one ends.
    func isReplay(_ connection: GuardedConnection, _ claim: IdempotencyClaim, storeID: Int64) async throws -> Bool {
        let inserted = try await connection.query(
            """
            INSERT INTO idempotency_keys (key, request_hash, store_id, created_at)
            VALUES (\(claim.key), \(claim.requestHash), \(storeID), now())
            ON CONFLICT (key) DO NOTHING RETURNING key
            """, logger: logger
        ).collectRows { _ in true }
        guard inserted.isEmpty else { return false }
        let hash = try await connection.query(
            "SELECT request_hash FROM idempotency_keys WHERE key = \(claim.key)", logger: logger
        ).collectRows { try $0[0].decode(String.self) }[0]
        guard hash == claim.requestHash else { throw InventoryError.idempotencyKeyReused(key: claim.key) }
        return true
    }

    private func requireSuppliers(_ connection: GuardedConnection, ids: Set<Int64>) async throws {
        guard !ids.isEmpty else { return }
        let found = Set(try await connection.query(
            "SELECT id FROM suppliers WHERE id = ANY(\(Array(ids))) AND deleted_at IS NULL", logger: logger
        ).collectRows { try $0[0].decode(Int64.self) })
        if let missing = ids.subtracting(found).min() { throw InventoryError.supplierNotFound(id: missing) }
    }

    /// Locks the stock rows of `productIDs` in one store, in id order so that concurrent batches
    /// cannot deadlock, creating missing rows, and returns their on-hand.
    func lockStock(_ connection: GuardedConnection, storeID: Int64, productIDs: Set<Int64>) async throws
        -> [Int64: Quantity]
    {
        let rows = try await connection.query(
            """
            INSERT INTO stock_levels (store_id, product_id)
            SELECT \(storeID), id FROM unnest(\(productIDs.sorted())::INT8[]) AS id ORDER BY id
            ON CONFLICT (store_id, product_id) DO UPDATE SET on_hand = stock_levels.on_hand
            RETURNING product_id, on_hand
            """, logger: logger
        ).collectRows { row in (try row["product_id"].decode(Int64.self), try row["on_hand"].decode(Int64.self)) }
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.0, Quantity(thousandths: $0.1)) })
    }

    /// Inserts movements (all of one request: same time, key and transfer) in order with one statement; the schema's trigger applies each to its
    /// stock level and refuses any that does not continue its chain. Returns the ids in order.
    func insert(_ connection: GuardedConnection, _ movements: [Movement]) async throws -> [Int64] {
        // Arrays cannot carry NULL through postgres-nio's encoders, so absent values travel as
        // sentinels no real value can take ('' for text, -1 for ids and amounts).
        let ids = try await connection.query(
            """
            INSERT INTO movements (store_id, product_id, kind, delta, balance_after, reason, supplier_id, unit_cost,
                unit_price, note, occurred_at, recorded_at, idempotency_key, transfer_id, actor_kind, actor_id, actor_name)
            SELECT store_id, product_id, kind, delta, balance_after, NULLIF(reason, ''), NULLIF(supplier_id, -1),
                NULLIF(unit_cost, -1), NULLIF(unit_price, -1), NULLIF(note, ''),
                'epoch'::TIMESTAMPTZ + occurred_ms * INTERVAL '1 millisecond', \(movements[0].recordedAt),
                \(movements[0].idempotencyKey), \(movements[0].transferID), \(movements[0].recordedBy.kind.rawValue),
                \(movements[0].recordedBy.id), \(movements[0].recordedBy.name)
            FROM unnest(\(movements.map(\.storeID))::INT8[], \(movements.map(\.productID))::INT8[],
                \(movements.map(\.kind.rawValue))::TEXT[], \(movements.map(\.delta.thousandths))::INT8[],
                \(movements.map(\.balanceAfter.thousandths))::INT8[], \(movements.map { $0.reason ?? "" })::TEXT[],
                \(movements.map { $0.supplierID ?? -1 })::INT8[], \(movements.map { $0.unitCost?.paise ?? -1 })::INT8[],
                \(movements.map { $0.unitPrice?.paise ?? -1 })::INT8[], \(movements.map { $0.note ?? "" })::TEXT[],
                \(movements.map(\.occurredAt.unixMilliseconds))::INT8[])
                WITH ORDINALITY AS line (store_id, product_id, kind, delta, balance_after, reason, supplier_id,
                    unit_cost, unit_price, note, occurred_ms, position)
            ORDER BY position
            RETURNING id
            """, logger: logger
        ).collectRows { try $0[0].decode(Int64.self) }
        // Ids come from one sequence in insertion order, which follows `position`.
        return ids.sorted()
    }

    public func stockLevels(_ query: StockQuery) async throws -> Page<StockLevel> {
        try await access { connection in
            _ = try await Self.requireStore(connection, id: query.storeID, logger: self.logger)
            var sql = SQLBuilder()
            let store = sql.bind(query.storeID)
            let after = sql.bind(query.page.after ?? 0)
            // As of an instant, on-hand is the last balance recorded by then (the book as it stood).
            let onHand: String
            if let asOf = query.asOf {
                let instant = sql.bind(asOf)
                onHand = """
                    COALESCE((SELECT m.balance_after FROM movements m WHERE m.store_id = \(store) AND m.product_id = p.id
                        AND m.recorded_at <= \(instant) ORDER BY m.id DESC LIMIT 1), 0)
                    """
            } else {
                onHand = "COALESCE(s.on_hand, 0)"
            }
            let lowOnly = query.lowStockOnly ? "WHERE reorder_level IS NOT NULL AND on_hand <= reorder_level" : ""
            let limit = sql.bind(query.page.limit + 1)
            let rows = try await connection.query(
                sql.query("""
                    SELECT * FROM (
                        SELECT \(Self.productColumns), \(onHand) AS on_hand, s.reorder_level
                        FROM products p LEFT JOIN stock_levels s ON s.product_id = p.id AND s.store_id = \(store)
                        WHERE p.deleted_at IS NULL AND p.id > \(after)
                    ) levels \(lowOnly)
                    ORDER BY p_id LIMIT \(limit)
                    """), logger: self.logger
            ).collectRows { try Self.stockLevel($0, storeID: query.storeID) }
            return Page(fetched: rows, request: query.page, sortKey: \.product.id)
        }
    }

    public func stockLevel(storeID: Int64, product: ProductReference, asOf: Date?) async throws -> StockLevel {
        try await access { connection in
            var level = try await self.stockLevel(connection, storeID: storeID, product: product)
            if let asOf {
                let balance = try await connection.query(
                    """
                    SELECT balance_after FROM movements
                    WHERE store_id = \(storeID) AND product_id = \(level.product.id) AND recorded_at <= \(asOf)
                    ORDER BY id DESC LIMIT 1
                    """, logger: self.logger
                ).collectRows { try $0[0].decode(Int64.self) }.first
                level.onHand = Quantity(thousandths: balance ?? 0)
            }
            return level
        }
    }

    public func setReorderLevel(
        storeID: Int64, product reference: ProductReference, level: Quantity?, by context: ChangeContext
    ) async throws -> StockLevel {
        try await transaction { connection in
            _ = try await Self.requireStore(connection, id: storeID, logger: self.logger)
            let product = try await Self.requireProduct(connection, reference, logger: self.logger)
            try await self.lockAuditChain(connection, chain: storeID)
            let current = try await self.stockLevel(connection, storeID: storeID, product: .id(product.id))
            let level = try level.map { value throws(InventoryError) in
                try Ledger.validatedReorderLevel(value, product: product)
            }
            try await connection.query(
                """
                INSERT INTO stock_levels (store_id, product_id, reorder_level) VALUES (\(storeID), \(product.id), \(level?.thousandths))
                ON CONFLICT (store_id, product_id) DO UPDATE SET reorder_level = EXCLUDED.reorder_level
                """, logger: self.logger)
            let changed = try await self.stockLevel(connection, storeID: storeID, product: .id(product.id))
            try await self.appendAudit(
                connection,
                .change("reorder_level.set", "stock_level", id: "\(storeID)/\(product.id)", before: current,
                        after: changed, chain: storeID), context)
            return changed
        }
    }

    /// One product's stock in one store, in one query: the store's liveness, the product named by
    /// `reference` and its level (zero when never stocked here).
    private func stockLevel(_ connection: GuardedConnection, storeID: Int64, product reference: ProductReference)
        async throws -> StockLevel
    {
        let rows = try await connection.execute(
            PreparedStatement.ReadStockLevel(storeID: storeID, product: reference), logger: logger
        ).collectRows { row in
            (storeLive: try row["store_live"].decode(Bool.self),
             product: try row["id"].decode(Int64?.self) == nil ? nil : try Self.product(row),
             onHand: try row["level_on_hand"].decode(Int64?.self),
             reorderLevel: try row["level_reorder_level"].decode(Int64?.self))
        }
        guard let row = rows.first, row.storeLive else { throw InventoryError.storeNotFound(id: storeID) }
        guard let product = row.product else { throw InventoryError.productNotFound(reference: "\(reference)") }
        return StockLevel(
            storeID: storeID, product: product, onHand: Quantity(thousandths: row.onHand ?? 0),
            reorderLevel: row.reorderLevel.map(Quantity.init(thousandths:)))
    }

    public func movements(_ query: MovementQuery) async throws -> Page<Movement> {
        try await access { connection in
            var sql = SQLBuilder()
            if let after = query.page.after { sql.filter("m.id < ?", after) }
            if let storeID = query.storeID { sql.filter("m.store_id = ?", storeID) }
            if let cityID = query.cityID { sql.filter("m.store_id IN (SELECT id FROM stores WHERE city_id = ?)", cityID) }
            switch query.product {
            case .id(let id): sql.filter("m.product_id = ?", id)
            case .sku(let sku): sql.filter("m.product_id IN (SELECT id FROM products WHERE sku = ?)", sku.value)
            case .barcode(let barcode): sql.filter("m.product_id IN (SELECT id FROM products WHERE barcode = ?)", barcode)
            case nil: break
            }
            if let kind = query.kind { sql.filter("m.kind = ?", kind.rawValue) }
            if let supplierID = query.supplierID { sql.filter("m.supplier_id = ?", supplierID) }
            sql.filter(scope: query.scope, column: "m.store_id")
            if let from = query.from { sql.filter("m.occurred_at >= ?", from) }
            if let to = query.to { sql.filter("m.occurred_at < ?", to) }
            let limit = sql.bind(query.page.limit + 1)
            // The page's ids first (from movements_store_occurred_ids alone when filtering by store and
            // time), then only those rows.
            let rows = try await connection.query(
                sql.query("""
                    WITH page AS MATERIALIZED (SELECT m.id FROM movements m \(sql.whereClause) ORDER BY m.id DESC LIMIT \(limit))
                    SELECT m.*, p.sku FROM page JOIN movements m ON m.id = page.id JOIN products p ON p.id = m.product_id
                    ORDER BY m.id DESC
                    """), logger: self.logger
            ).collectRows(Self.movement)
            return Page(fetched: rows, request: query.page, sortKey: \.id)
        }
    }

    public func verifyLedger() async throws -> LedgerVerification {
        try await unboundedTransaction { connection in
            // One snapshot for the whole walk, streamed row by row.
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: self.logger)
            var verifier = LedgerVerifier()
            let movements = try await connection.query(
                """
                SELECT m.store_id, m.product_id, m.id, m.delta, m.balance_after, COALESCE(s.on_hand, 0) AS on_hand
                FROM movements m
                LEFT JOIN stock_levels s ON s.store_id = m.store_id AND s.product_id = m.product_id
                ORDER BY m.store_id, m.product_id, m.id
                """, logger: self.logger)
            for try await (storeID, productID, id, delta, balance, onHand) in movements.decode(
                (Int64, Int64, Int64, Int64, Int64, Int64).self)
            {
                verifier.observe(
                    storeID: storeID, productID: productID, movementID: id, delta: Quantity(thousandths: delta),
                    balanceAfter: Quantity(thousandths: balance), onHand: Quantity(thousandths: onHand))
            }
            let orphans = try await connection.query(
                """
                SELECT store_id, product_id, on_hand FROM stock_levels s
                WHERE on_hand <> 0 AND NOT EXISTS (
                    SELECT 1 FROM movements m WHERE m.store_id = s.store_id AND m.product_id = s.product_id)
                """, logger: self.logger)
            for try await (storeID, productID, onHand) in orphans.decode((Int64, Int64, Int64).self) {
                verifier.observeStockWithoutMovements(
                    storeID: storeID, productID: productID, onHand: Quantity(thousandths: onHand))
            }
            return verifier.finish()
        }
    }

    static func bindings(_ values: Int64...) -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { bindings.append(value) }
        return bindings
    }
}

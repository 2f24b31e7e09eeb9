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
            case .recorded(let recorded):
                wakeListeners()
                return recorded
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
            _ = try await Self.requireStore(connection, id: batch.storeID, lock: .share, logger: self.logger)
            let now = self.now
            if let claim = batch.idempotency,
                let replay = try await self.claim(connection, claim, storeID: batch.storeID, now: now)
            {
                return replay
            }
            // FOR SHARE keeps the products from being deleted until this transaction ends.
            let products = try await Self.requireProducts(
                connection, batch.commands.map(\.product), lock: .share, logger: self.logger)
            try await self.requireSuppliers(connection, ids: Set(batch.commands.compactMap(\.supplierID)))
            try await self.lockAuditChain(connection, chain: batch.storeID)
            let onHand = try await self.lockStock(
                connection, storeID: batch.storeID, productIDs: Set(products.values.map(\.id)))
            let journal = try Journal.record(batch, products: products, onHand: onHand, now: now, by: context.actor)
            let numbered = journal.numbered(try await self.insert(connection, journal.movements))
            // Last, so the store's audit chain stays locked for as short a time as possible.
            try await self.appendAudit(connection, numbered.recordedAudit(storeID: batch.storeID), context, now: now)
            return RecordedMovements(movements: numbered.movements, replayed: false)
        }
    }

    /// Records the key, or when it exists answers the earlier movements (same request) or refuses.
    private func claim(_ connection: GuardedConnection, _ claim: IdempotencyClaim, storeID: Int64, now: Date)
        async throws -> RecordedMovements?
    {
        guard try await isReplay(connection, claim, storeID: storeID, now: now) else { return nil }
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
    func isReplay(_ connection: GuardedConnection, _ claim: IdempotencyClaim, storeID: Int64, now: Date) async throws
        -> Bool
    {
        let inserted = try await connection.query(
            """
            INSERT INTO idempotency_keys (key, request_hash, store_id, created_at)
            VALUES (\(claim.key), \(claim.requestHash), \(storeID), \(now))
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
        let found = Set(
            try await connection.query(
                "SELECT id FROM suppliers WHERE id = ANY(\(Array(ids))) AND deleted_at IS NULL", logger: logger
            ).collectRows { try $0[0].decode(Int64.self) })
        if let missing = ids.subtracting(found).min() { throw InventoryError.supplierNotFound(id: missing) }
    }

    /// Locks the stock rows of `productIDs` in one store, in id order so that concurrent batches
    /// cannot deadlock, creating missing rows, and returns their on-hand.
    func lockStock(_ connection: GuardedConnection, storeID: Int64, productIDs: Set<Int64>) async throws
        -> [StockKey: Quantity]
    {
        let rows = try await connection.query(
            """
            INSERT INTO stock_levels (store_id, product_id)
            SELECT \(storeID), id FROM unnest(\(productIDs.sorted())::INT8[]) AS id ORDER BY id
            ON CONFLICT (store_id, product_id) DO UPDATE SET on_hand = stock_levels.on_hand
            RETURNING product_id, on_hand
            """, logger: logger
        ).collectRows { row in (try row["product_id"].decode(Int64.self), try row["on_hand"].decode(Int64.self)) }
        return Dictionary(
            uniqueKeysWithValues: rows.map {
                (StockKey(storeID: storeID, productID: $0.0), Quantity(thousandths: $0.1))
            })
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

    public func setReorderLevel(
        storeID: Int64, product reference: ProductReference, level: Quantity?, by context: ChangeContext
    ) async throws -> StockLevel {
        try await transaction { connection in
            _ = try await Self.requireStore(connection, id: storeID, logger: self.logger)
            let product = try await Self.requireProduct(connection, reference, logger: self.logger)
            let now = self.now
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
            try await self.appendAudit(connection, .reorderLevelSet(before: current, after: changed), context, now: now)
            return changed
        }
    }
}

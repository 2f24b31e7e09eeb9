import Foundation
import GRDB
import InventoryCore

extension SQLiteInventoryStorage {
    public func recordMovements(_ batch: MovementBatch, by context: ChangeContext) async throws -> RecordedMovements {
        try await IdempotencyClaim.scoping(batch.idempotency, to: context.actor) { claim in
            var batch = batch
            batch.idempotency = claim
            return try await recordScoped(batch, by: context).unscoped
        }
    }

    /// Records a batch whose idempotency key is already scoped to its caller: reads the products and
    /// their on-hand under the write lock, asks the journal, writes what it returns.
    private func recordScoped(_ batch: MovementBatch, by context: ChangeContext) async throws -> RecordedMovements {
        try await write { db, now in
            _ = try Self.requireStore(db, id: batch.storeID)
            if let claim = batch.idempotency {
                if try Self.isReplay(db, claim: claim) {
                    let movements = try Row.fetchAll(
                        db,
                        literal: """
                            SELECT m.*, p.sku FROM movements m JOIN products p ON p.id = m.product_id
                            WHERE m.idempotency_key = \(claim.key) ORDER BY m.id
                            """
                    ).map(Self.movement)
                    return RecordedMovements(movements: movements, replayed: true)
                }
                try Self.claim(db, claim, storeID: batch.storeID, now: now)
            }
            let products = try Self.requireProducts(db, batch.commands.map(\.product))
            for supplierID in Set(batch.commands.compactMap(\.supplierID)).sorted() {
                _ = try Self.requireSupplier(db, id: supplierID)
            }
            let onHand = try Self.onHand(db, Journal.stockKeys(storeIDs: [batch.storeID], products: products.values))
            let journal = try Journal.record(batch, products: products, onHand: onHand, now: now, by: context.actor)
            let numbered = journal.numbered(try Self.insert(db, journal))
            try Self.appendAudit(db, numbered.recordedAudit(storeID: batch.storeID), context, now: now)
            return RecordedMovements(movements: numbered.movements, replayed: false)
        }
    }

    /// The live products the references name, each read once; `productNotFound` for the first missing.
    static func requireProducts(_ db: Database, _ references: [ProductReference]) throws -> [ProductReference: Product]
    {
        var products: [ProductReference: Product] = [:]
        for reference in references where products[reference] == nil {
            products[reference] = try requireProduct(db, reference)
        }
        return products
    }

    /// The on-hand of each (store, product); zero where never stocked.
    static func onHand(_ db: Database, _ keys: Set<StockKey>) throws -> [StockKey: Quantity] {
        var onHand: [StockKey: Quantity] = [:]
        for key in keys {
            let thousandths = try Int64.fetchOne(
                db,
                literal:
                    "SELECT on_hand FROM stock_levels WHERE store_id = \(key.storeID) AND product_id = \(key.productID)"
            )
            onHand[key] = Quantity(thousandths: thousandths ?? 0)
        }
        return onHand
    }

    /// Writes the journal's movements in order, moving each level to the movement's balance as it
    /// goes (the schema's trigger checks that every movement continues its level's chain); answers
    /// the ids.
    static func insert(_ db: Database, _ journal: Journal) throws -> [Int64] {
        try journal.movements.map { movement in
            let id = try Int64.fetchOne(
                db,
                literal: """
                    INSERT INTO movements (store_id, product_id, kind, delta, balance_after, reason, supplier_id,
                        unit_cost, unit_price, note, occurred_at, recorded_at, idempotency_key, transfer_id, actor_kind,
                        actor_id, actor_name)
                    VALUES (\(movement.storeID), \(movement.productID), \(movement.kind.rawValue),
                        \(movement.delta.thousandths), \(movement.balanceAfter.thousandths), \(movement.reason),
                        \(movement.supplierID), \(movement.unitCost?.paise), \(movement.unitPrice?.paise), \(movement.note),
                        \(movement.occurredAt.unixMilliseconds), \(movement.recordedAt.unixMilliseconds),
                        \(movement.idempotencyKey), \(movement.transferID), \(movement.recordedBy.kind.rawValue),
                        \(movement.recordedBy.id), \(movement.recordedBy.name))
                    RETURNING id
                    """)!
            try db.execute(
                literal: """
                    INSERT INTO stock_levels (store_id, product_id, on_hand)
                    VALUES (\(movement.storeID), \(movement.productID), \(movement.balanceAfter.thousandths))
                    ON CONFLICT (store_id, product_id) DO UPDATE SET on_hand = excluded.on_hand
                    """)
            return id
        }
    }

    /// Records `claim`, unused until now, for this request.
    static func claim(_ db: Database, _ claim: IdempotencyClaim, storeID: Int64, now: Date) throws {
        try db.execute(
            literal: """
                INSERT INTO idempotency_keys (key, request_hash, store_id, created_at)
                VALUES (\(claim.key), \(claim.requestHash), \(storeID), \(now.unixMilliseconds))
                """)
    }

    /// True when `claim.key` was used before for the same request; false when it is new;
    /// `idempotencyKeyReused` when it was used for another request.
    static func isReplay(_ db: Database, claim: IdempotencyClaim) throws -> Bool {
        guard
            let storedHash = try String.fetchOne(
                db, literal: "SELECT request_hash FROM idempotency_keys WHERE key = \(claim.key)")
        else { return false }
        guard storedHash == claim.requestHash else { throw InventoryError.idempotencyKeyReused(key: claim.key) }
        return true
    }

    public func setReorderLevel(
        storeID: Int64, product reference: ProductReference, level: Quantity?, by context: ChangeContext
    ) async throws -> StockLevel {
        try await write { db, now in
            _ = try Self.requireStore(db, id: storeID)
            let product = try Self.requireProduct(db, reference)
            let current = try Self.stockLevel(db, storeID: storeID, product: .id(product.id))
            let level = try level.map { value throws(InventoryError) in
                try Ledger.validatedReorderLevel(value, product: product)
            }
            try db.execute(
                literal: """
                    INSERT INTO stock_levels (store_id, product_id, reorder_level)
                    VALUES (\(storeID), \(product.id), \(level?.thousandths))
                    ON CONFLICT (store_id, product_id) DO UPDATE SET reorder_level = excluded.reorder_level
                    """)
            let changed = try Self.stockLevel(db, storeID: storeID, product: .id(product.id))
            try Self.appendAudit(db, .reorderLevelSet(before: current, after: changed), context, now: now)
            return changed
        }
    }
}

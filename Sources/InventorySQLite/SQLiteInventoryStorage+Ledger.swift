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

    /// Records a batch whose idempotency key is already scoped to its caller.
    private func recordScoped(_ batch: MovementBatch, by context: ChangeContext) async throws -> RecordedMovements {
        try await write { db in
            _ = try Self.requireStore(db, id: batch.storeID)
            if let claim = batch.idempotency {
                if let replay = try Self.replay(db, claim: claim) { return replay }
                try db.execute(
                    sql: "INSERT INTO idempotency_keys (key, request_hash, store_id, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [claim.key, claim.requestHash, batch.storeID, Date().unixMilliseconds])
            }
            let now = Date().truncatedToMilliseconds
            var products: [ProductReference: Product] = [:]
            var movements: [Movement] = []
            movements.reserveCapacity(batch.commands.count)
            for command in batch.commands {
                let product = try products[command.product] ?? Self.requireProduct(db, command.product)
                products[command.product] = product
                movements.append(
                    try Self.append(db, command, product: product, batch: batch, now: now, actor: context.actor))
            }
            try Self.appendAudit(
                db,
                .change("movements.record", "store", id: batch.storeID, before: nil, after: movements, chain: batch.storeID),
                context, now: now)
            return RecordedMovements(movements: movements, replayed: false)
        }
    }

    /// The movements stored under `claim.key` when it was used for the same request before;
    /// nil when the key is new; `idempotencyKeyReused` when it was used for another request.
    private static func replay(_ db: Database, claim: IdempotencyClaim) throws -> RecordedMovements? {
        guard try isReplay(db, claim: claim) else { return nil }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT m.*, p.sku FROM movements m JOIN products p ON p.id = m.product_id
                WHERE m.idempotency_key = ? ORDER BY m.id
                """,
            arguments: [claim.key])
        return RecordedMovements(movements: rows.map(movement), replayed: true)
    }

    /// Applies one command: reads on-hand, asks the ledger rules, writes the movement and the new level.
    private static func append(
        _ db: Database, _ command: MovementCommand, product: Product, batch: MovementBatch, now: Date, actor: Identity
    ) throws -> Movement {
        if let supplierID = command.supplierID {
            _ = try requireSupplier(db, id: supplierID)
        }
        return try post(
            db, command, product: product, storeID: batch.storeID, now: now, idempotencyKey: batch.idempotency?.key,
            transferID: nil, actor: actor)
    }

    /// Posts `command` against the current on-hand of `product` in `storeID`: one movement row,
    /// one stock level update. Runs inside the caller's write transaction.
    static func post(
        _ db: Database, _ command: MovementCommand, product: Product, storeID: Int64, now: Date,
        idempotencyKey: String?, transferID: Int64?, actor: Identity
    ) throws -> Movement {
        let onHand = try Int64.fetchOne(
            db, sql: "SELECT on_hand FROM stock_levels WHERE store_id = ? AND product_id = ?",
            arguments: [storeID, product.id]).map(Quantity.init(thousandths:)) ?? .zero
        let posting = try Ledger.posting(command, product: product, storeID: storeID, onHand: onHand, now: now)
        let id = try Int64.fetchOne(
            db,
            sql: """
                INSERT INTO movements (store_id, product_id, kind, delta, balance_after, reason, supplier_id,
                    unit_cost, unit_price, note, occurred_at, recorded_at, idempotency_key, transfer_id, actor_kind,
                    actor_id, actor_name)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """,
            arguments: [
                storeID, product.id, command.kind.rawValue, posting.delta.thousandths,
                posting.balanceAfter.thousandths, command.reason, command.supplierID, command.unitCost?.paise,
                posting.unitPrice?.paise, command.note, posting.occurredAt.unixMilliseconds, now.unixMilliseconds,
                idempotencyKey, transferID, actor.kind.rawValue, actor.id, actor.name,
            ])!
        try db.execute(
            sql: """
                INSERT INTO stock_levels (store_id, product_id, on_hand) VALUES (?, ?, ?)
                ON CONFLICT (store_id, product_id) DO UPDATE SET on_hand = excluded.on_hand
                """,
            arguments: [storeID, product.id, posting.balanceAfter.thousandths])
        return Movement(
            id: id, storeID: storeID, productID: product.id, sku: product.sku, kind: command.kind,
            delta: posting.delta, balanceAfter: posting.balanceAfter, reason: command.reason,
            supplierID: command.supplierID, unitCost: command.unitCost, unitPrice: posting.unitPrice,
            note: command.note, occurredAt: posting.occurredAt, recordedAt: now, idempotencyKey: idempotencyKey,
            transferID: transferID, recordedBy: actor)
    }

    /// True when `claim.key` was used before for the same request; false when it is new;
    /// `idempotencyKeyReused` when it was used for another request.
    static func isReplay(_ db: Database, claim: IdempotencyClaim) throws -> Bool {
        guard
            let storedHash = try String.fetchOne(
                db, sql: "SELECT request_hash FROM idempotency_keys WHERE key = ?", arguments: [claim.key])
        else { return false }
        guard storedHash == claim.requestHash else { throw InventoryError.idempotencyKeyReused(key: claim.key) }
        return true
    }

    public func stockLevels(_ query: StockQuery) async throws -> Page<StockLevel> {
        try await read { db in
            _ = try Self.requireStore(db, id: query.storeID)
            // As of an instant, on-hand is the last balance recorded by then (the book as it stood).
            let onHand =
                query.asOf == nil
                ? "COALESCE(s.on_hand, 0)"
                : """
                COALESCE((SELECT m.balance_after FROM movements m WHERE m.store_id = s0.store_id AND m.product_id = p.id
                    AND m.recorded_at <= s0.as_of ORDER BY m.id DESC LIMIT 1), 0)
                """
            let lowOnly = query.lowStockOnly ? "WHERE reorder_level IS NOT NULL AND on_hand <= reorder_level" : ""
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (
                        SELECT \(Self.productColumns), \(onHand) AS on_hand, s.reorder_level
                        FROM (SELECT ? AS store_id, ? AS as_of) s0 CROSS JOIN products p
                        LEFT JOIN stock_levels s ON s.product_id = p.id AND s.store_id = s0.store_id
                        WHERE p.deleted_at IS NULL AND p.id > ?
                    ) \(lowOnly)
                    ORDER BY p_id LIMIT ?
                    """,
                arguments: [query.storeID, query.asOf?.unixMilliseconds, query.page.after ?? 0, query.page.limit + 1])
            return Page(
                fetched: rows.map { Self.stockLevel($0, storeID: query.storeID) }, request: query.page,
                sortKey: \.product.id)
        }
    }

    public func stockLevel(storeID: Int64, product: ProductReference, asOf: Date?) async throws -> StockLevel {
        try await read { db in
            var level = try Self.stockLevel(db, storeID: storeID, product: product)
            if let asOf {
                let balance = try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT balance_after FROM movements WHERE store_id = ? AND product_id = ? AND recorded_at <= ?
                        ORDER BY id DESC LIMIT 1
                        """,
                    arguments: [storeID, level.product.id, asOf.unixMilliseconds])
                level.onHand = Quantity(thousandths: balance ?? 0)
            }
            return level
        }
    }

    public func setReorderLevel(
        storeID: Int64, product reference: ProductReference, level: Quantity?, by context: ChangeContext
    ) async throws -> StockLevel {
        try await write { db in
            _ = try Self.requireStore(db, id: storeID)
            let product = try Self.requireProduct(db, reference)
            let current = try Self.stockLevel(db, storeID: storeID, product: .id(product.id))
            let level = try level.map { value throws(InventoryError) in
                try Ledger.validatedReorderLevel(value, product: product)
            }
            try db.execute(
                sql: """
                    INSERT INTO stock_levels (store_id, product_id, reorder_level) VALUES (?, ?, ?)
                    ON CONFLICT (store_id, product_id) DO UPDATE SET reorder_level = excluded.reorder_level
                    """,
                arguments: [storeID, product.id, level?.thousandths])
            let changed = try Self.stockLevel(db, storeID: storeID, product: .id(product.id))
            try Self.appendAudit(
                db,
                .change("reorder_level.set", "stock_level", id: "\(storeID)/\(product.id)", before: current,
                        after: changed, chain: storeID), context)
            return changed
        }
    }

    private static func stockLevel(_ db: Database, storeID: Int64, product reference: ProductReference) throws
        -> StockLevel
    {
        _ = try requireStore(db, id: storeID)
        let product = try requireProduct(db, reference)
        let row = try Row.fetchOne(
            db, sql: "SELECT on_hand, reorder_level FROM stock_levels WHERE store_id = ? AND product_id = ?",
            arguments: [storeID, product.id])
        return StockLevel(
            storeID: storeID, product: product,
            onHand: Quantity(thousandths: row?["on_hand"] ?? 0),
            reorderLevel: (row?["reorder_level"] as Int64?).map(Quantity.init(thousandths:)))
    }

    public func movements(_ query: MovementQuery) async throws -> Page<Movement> {
        try await read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let after = query.page.after {
                conditions.append("m.id < ?")
                arguments += [after]
            }
            if let storeID = query.storeID {
                conditions.append("m.store_id = ?")
                arguments += [storeID]
            }
            if let cityID = query.cityID {
                conditions.append("m.store_id IN (SELECT id FROM stores WHERE city_id = ?)")
                arguments += [cityID]
            }
            switch query.product {
            case .id(let id):
                conditions.append("m.product_id = ?")
                arguments += [id]
            case .sku(let sku):
                conditions.append("p.sku = ?")
                arguments += [sku.value]
            case .barcode(let barcode):
                conditions.append("p.barcode = ?")
                arguments += [barcode]
            case nil:
                break
            }
            if let kind = query.kind {
                conditions.append("m.kind = ?")
                arguments += [kind.rawValue]
            }
            if let supplierID = query.supplierID {
                conditions.append("m.supplier_id = ?")
                arguments += [supplierID]
            }
            if let scope = Self.scopeCondition(query.scope, column: "m.store_id") {
                conditions.append(scope.condition)
                arguments += scope.arguments
            }
            if let from = query.from {
                conditions.append("m.occurred_at >= ?")
                arguments += [from.unixMilliseconds]
            }
            if let to = query.to {
                conditions.append("m.occurred_at < ?")
                arguments += [to.unixMilliseconds]
            }
            arguments += [query.page.limit + 1]
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT m.*, p.sku FROM movements m JOIN products p ON p.id = m.product_id
                    \(filter) ORDER BY m.id DESC LIMIT ?
                    """,
                arguments: arguments)
            return Page(fetched: rows.map(Self.movement), request: query.page, sortKey: \.id)
        }
    }

    public func verifyLedger() async throws -> LedgerVerification {
        try await unboundedRead { db in
            var verifier = LedgerVerifier()
            let movements = try Row.fetchCursor(
                db,
                sql: """
                    SELECT m.store_id, m.product_id, m.id, m.delta, m.balance_after, COALESCE(s.on_hand, 0) AS on_hand
                    FROM movements m
                    LEFT JOIN stock_levels s ON s.store_id = m.store_id AND s.product_id = m.product_id
                    ORDER BY m.store_id, m.product_id, m.id
                    """)
            while let row = try movements.next() {
                verifier.observe(
                    storeID: row["store_id"], productID: row["product_id"], movementID: row["id"],
                    delta: Quantity(thousandths: row["delta"]), balanceAfter: Quantity(thousandths: row["balance_after"]),
                    onHand: Quantity(thousandths: row["on_hand"]))
            }
            let orphans = try Row.fetchCursor(
                db,
                sql: """
                    SELECT store_id, product_id, on_hand FROM stock_levels s
                    WHERE on_hand <> 0 AND NOT EXISTS (
                        SELECT 1 FROM movements m WHERE m.store_id = s.store_id AND m.product_id = s.product_id)
                    """)
            while let row = try orphans.next() {
                verifier.observeStockWithoutMovements(
                    storeID: row["store_id"], productID: row["product_id"],
                    onHand: Quantity(thousandths: row["on_hand"]))
            }
            return verifier.finish()
        }
    }
}

import Foundation
import InventoryCore
import PostgresNIO

extension PostgresInventoryStorage {
    /// Records a batch in two round trips and one commit, holding no lock between them: the first
    /// reads what the ledger rules need (the store, the products with their stock and last movement,
    /// the store's audit head) and reserves movement ids; the postings and the audit entry are
    /// computed here; the second writes everything in one statement that applies only when nothing it
    /// read has changed (the audit head still at the sequence read, the ledger trigger finding each
    /// stock level at the balance and last movement read).
    ///
    /// Stores nothing and answers `.raced` when another writer got there first, or `.needsLocks` when
    /// anything is out of the ordinary: a missing store, product or supplier, a posting the rules
    /// refuse, a used idempotency key, a product never stocked here, a store's first audit entry. The
    /// locking path then gives the authoritative answer.
    func recordOptimistically(_ batch: MovementBatch, by context: ChangeContext) async throws -> OptimisticOutcome {
        try await access { connection in
            guard let snapshot = try await self.readSnapshot(connection, batch) else { return .needsLocks }
            let now = Date().truncatedToMilliseconds
            var onHand = snapshot.onHand
            var movements: [Movement] = []
            for (index, command) in batch.commands.enumerated() {
                let product = snapshot.products[command.product]!
                guard
                    let posting = try? Ledger.posting(
                        command, product: product, storeID: batch.storeID, onHand: onHand[product.id]!, now: now)
                else { return .needsLocks }
                onHand[product.id] = posting.balanceAfter
                movements.append(Movement(
                    id: snapshot.movementIDs[index], storeID: batch.storeID, productID: product.id, sku: product.sku,
                    kind: command.kind, delta: posting.delta, balanceAfter: posting.balanceAfter, reason: command.reason,
                    supplierID: command.supplierID, unitCost: command.unitCost, unitPrice: posting.unitPrice,
                    note: command.note, occurredAt: posting.occurredAt, recordedAt: now,
                    idempotencyKey: batch.idempotency?.key, recordedBy: context.actor))
            }
            let record = AuditRecord.change(
                "movements.record", "store", id: batch.storeID, before: nil, after: movements, chain: batch.storeID)
            let sequence = snapshot.head.sequence + 1
            let hash = Self.sha256Hex(
                AuditChain.text(
                    chain: record.chain, sequence: sequence, recordedAt: now, context: context, record: record,
                    previousHash: snapshot.head.hash))
            let written = try await self.writeIfUnchanged(
                connection, batch, movements, audit: (record, context, snapshot.head, hash), now: now)
            return written ? .recorded(RecordedMovements(movements: movements, replayed: false)) : .raced
        }
    }

    enum OptimisticOutcome {
        case recorded(RecordedMovements)
        /// Another writer changed the store meanwhile: worth another try.
        case raced
        /// Only the locking path can answer.
        case needsLocks
    }

    /// What the first round trip read.
    private struct LedgerSnapshot {
        var products: [ProductReference: Product]
        var onHand: [Int64: Quantity]
        var head: (sequence: Int64, hash: String)
        /// One reserved id per command, ascending.
        var movementIDs: [Int64]
    }

    private func readSnapshot(_ connection: PostgresConnection, _ batch: MovementBatch) async throws -> LedgerSnapshot? {
        var ids: [Int64] = []
        var skus: [String] = []
        var barcodes: [String] = []
        for command in batch.commands {
            switch command.product {
            case .id(let id): ids.append(id)
            case .sku(let sku): skus.append(sku.value)
            case .barcode(let barcode): barcodes.append(barcode)
            }
        }
        let suppliers = Array(Set(batch.commands.compactMap(\.supplierID)))
        let rows = try await connection.query(
            """
            SELECT p.*, l.on_hand AS level_on_hand,
                EXISTS (SELECT 1 FROM stores WHERE id = \(batch.storeID) AND deleted_at IS NULL) AS store_live,
                (SELECT count(*) FROM suppliers WHERE id = ANY(\(suppliers)::INT8[]) AND deleted_at IS NULL) AS suppliers_live,
                EXISTS (SELECT 1 FROM idempotency_keys WHERE key = \(batch.idempotency?.key)) AS key_used,
                h.sequence AS head_sequence, h.hash AS head_hash,
                (SELECT array_agg(nextval('movements_id_seq')) FROM generate_series(1, \(Int64(batch.commands.count)))) AS movement_ids
            FROM products p
            LEFT JOIN stock_levels l ON l.store_id = \(batch.storeID) AND l.product_id = p.id
            LEFT JOIN audit_chains h ON h.chain = \(batch.storeID)
            WHERE p.deleted_at IS NULL
                AND (p.id = ANY(\(ids)::INT8[]) OR p.sku = ANY(\(skus)::TEXT[]) OR p.barcode = ANY(\(barcodes)::TEXT[]))
            """, logger: logger
        ).collectRows { row in
            (product: try Self.product(row), onHand: try row["level_on_hand"].decode(Int64?.self),
             storeLive: try row["store_live"].decode(Bool.self), suppliersLive: try row["suppliers_live"].decode(Int64.self),
             keyUsed: try row["key_used"].decode(Bool.self), headSequence: try row["head_sequence"].decode(Int64?.self),
             headHash: try row["head_hash"].decode(String?.self), movementIDs: try row["movement_ids"].decode([Int64].self))
        }
        guard let first = rows.first, first.storeLive, first.suppliersLive == Int64(suppliers.count), !first.keyUsed,
            let headSequence = first.headSequence, let headHash = first.headHash,
            let products = try? Self.resolve(batch.commands.map(\.product), among: rows.map(\.product))
        else { return nil }
        var onHand: [Int64: Quantity] = [:]
        for row in rows {
            guard let level = row.onHand else { return nil }
            onHand[row.product.id] = Quantity(thousandths: level)
        }
        return LedgerSnapshot(
            products: products, onHand: onHand, head: (headSequence, headHash), movementIDs: first.movementIDs.sorted())
    }

    /// Writes the movements, the key and the audit entry in one statement, which changes nothing
    /// unless the audit head is still where it was read and the store, products and suppliers are
    /// live (held shared until the commit); past that, the ledger trigger fails the whole statement
    /// unless every stock level is still at the balance and last movement read. Answers whether it
    /// wrote.
    private func writeIfUnchanged(
        _ connection: PostgresConnection, _ batch: MovementBatch, _ movements: [Movement],
        audit: (record: AuditRecord, context: ChangeContext, head: (sequence: Int64, hash: String), hash: String),
        now: Date
    ) async throws -> Bool {
        let productIDs = Array(Set(movements.map(\.productID))).sorted()
        let suppliers = Array(Set(movements.compactMap(\.supplierID))).sorted()
        let actor = audit.context.actor
        do {
            // Arrays cannot carry NULL through postgres-nio's encoders, so absent values travel as
            // sentinels no real value can take ('' for text, -1 for ids and amounts).
            let written = try await connection.query(
                """
                WITH store AS (
                    SELECT id FROM stores WHERE id = \(batch.storeID) AND deleted_at IS NULL FOR SHARE
                ), product AS (
                    SELECT id FROM products WHERE id = ANY(\(productIDs)::INT8[]) AND deleted_at IS NULL ORDER BY id FOR SHARE
                ), supplier AS (
                    SELECT id FROM suppliers WHERE id = ANY(\(suppliers)::INT8[]) AND deleted_at IS NULL ORDER BY id FOR SHARE
                ), head AS (
                    UPDATE audit_chains SET sequence = \(audit.head.sequence + 1), hash = \(audit.hash)
                    WHERE chain = \(batch.storeID) AND sequence = \(audit.head.sequence)
                        AND EXISTS (SELECT 1 FROM store)
                        AND (SELECT count(*) FROM product) = \(Int64(productIDs.count))
                        AND (SELECT count(*) FROM supplier) = \(Int64(suppliers.count))
                    RETURNING chain
                ), claim AS (
                    INSERT INTO idempotency_keys (key, request_hash, store_id, created_at)
                    SELECT \(batch.idempotency?.key)::TEXT, \(batch.idempotency?.requestHash)::TEXT, \(batch.storeID), now()
                    FROM head WHERE \(batch.idempotency?.key)::TEXT IS NOT NULL
                ), level AS (
                    SELECT product_id FROM stock_levels
                    WHERE store_id = \(batch.storeID) AND product_id = ANY(\(productIDs)::INT8[]) AND EXISTS (SELECT 1 FROM head)
                    ORDER BY product_id FOR UPDATE
                ), moved AS (
                    INSERT INTO movements (id, store_id, product_id, kind, delta, balance_after, reason, supplier_id,
                        unit_cost, unit_price, note, occurred_at, recorded_at, idempotency_key, actor_kind, actor_id, actor_name)
                    SELECT line.id, \(batch.storeID), line.product_id, line.kind, line.delta, line.balance_after,
                        NULLIF(line.reason, ''), NULLIF(line.supplier_id, -1), NULLIF(line.unit_cost, -1),
                        NULLIF(line.unit_price, -1), NULLIF(line.note, ''),
                        'epoch'::TIMESTAMPTZ + line.occurred_ms * INTERVAL '1 millisecond', \(now),
                        \(batch.idempotency?.key), \(actor.kind.rawValue), \(actor.id), \(actor.name)
                    FROM unnest(\(movements.map(\.id))::INT8[], \(movements.map(\.productID))::INT8[],
                        \(movements.map(\.kind.rawValue))::TEXT[], \(movements.map(\.delta.thousandths))::INT8[],
                        \(movements.map(\.balanceAfter.thousandths))::INT8[], \(movements.map { $0.reason ?? "" })::TEXT[],
                        \(movements.map { $0.supplierID ?? -1 })::INT8[], \(movements.map { $0.unitCost?.paise ?? -1 })::INT8[],
                        \(movements.map { $0.unitPrice?.paise ?? -1 })::INT8[], \(movements.map { $0.note ?? "" })::TEXT[],
                        \(movements.map(\.occurredAt.unixMilliseconds))::INT8[])
                        AS line (id, product_id, kind, delta, balance_after, reason, supplier_id, unit_cost, unit_price,
                            note, occurred_ms)
                    -- Joining the count makes the stock rows locked, in id order, before the trigger updates them.
                    CROSS JOIN head CROSS JOIN (SELECT count(*) FROM level) AS locked
                    ORDER BY line.id
                )
                INSERT INTO audit_log (chain, sequence, recorded_at, actor_kind, actor_id, actor_name, role, action,
                    entity_type, entity_id, before, after, request_id, client_address, previous_hash, hash)
                SELECT \(batch.storeID), \(audit.head.sequence + 1), \(now), \(actor.kind.rawValue), \(actor.id),
                    \(actor.name), \(audit.context.role?.rawValue), \(audit.record.action), \(audit.record.entityType),
                    \(audit.record.entityID), \(audit.record.before), \(audit.record.after), \(audit.context.requestID),
                    \(audit.context.clientAddress), \(audit.head.hash), \(audit.hash)
                FROM head
                RETURNING id
                """, logger: logger
            ).collectRows { _ in true }
            return !written.isEmpty
        } catch let error as PSQLError where Self.isLostRace(error) {
            return false
        }
    }

    /// A concurrent writer changed what the optimistic path read: a stock level moved on (the ledger
    /// trigger's check violation), the same idempotency key was claimed (unique violation), or the
    /// two collided on locks (deadlock).
    private static func isLostRace(_ error: PSQLError) -> Bool {
        ["23514", "23505", "40P01"].contains(error.serverInfo?[.sqlState] ?? "")
    }
}

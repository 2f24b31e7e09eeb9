import Foundation
import InventoryCore
import PostgresNIO

/// The statements on the hot paths, prepared once per connection so PostgreSQL parses and plans
/// them once rather than on every call. Each takes its bindings in the order of its parameters.
enum PreparedStatement {
    /// What the optimistic path of `recordMovements` reads, reserving one movement id per command.
    /// Prepared statements take their SQL as text with numbered parameters (postgres-nio's design);
    /// each binds them right below, in the same order, from named fields.
    struct ReadLedgerSnapshot: PostgresPreparedStatement {
        static let name = "godown_read_ledger_snapshot"
        static let sql = """
            SELECT p.*, l.on_hand AS level_on_hand,
                EXISTS (SELECT 1 FROM stores WHERE id = $1 AND deleted_at IS NULL) AS store_live,
                (SELECT count(*) FROM suppliers WHERE id = ANY($2::INT8[]) AND deleted_at IS NULL) AS suppliers_live,
                EXISTS (SELECT 1 FROM idempotency_keys WHERE key = $3::TEXT) AS key_used,
                h.sequence AS head_sequence, h.hash AS head_hash,
                (SELECT array_agg(nextval('movements_id_seq')) FROM generate_series(1, $4::INT8)) AS movement_ids
            FROM products p
            LEFT JOIN stock_levels l ON l.store_id = $1 AND l.product_id = p.id
            LEFT JOIN audit_chains h ON h.chain = $1
            WHERE p.deleted_at IS NULL
                AND (p.id = ANY($5::INT8[]) OR p.sku = ANY($6::TEXT[]) OR p.barcode = ANY($7::TEXT[]))
            """
        var storeID: Int64
        var supplierIDs: [Int64]
        var idempotencyKey: String?
        var movementCount: Int64
        var productIDs: [Int64]
        var skus: [String]
        var barcodes: [String]

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(storeID)
            bindings.append(supplierIDs)
            bindings.append(idempotencyKey)
            bindings.append(movementCount)
            bindings.append(productIDs)
            bindings.append(skus)
            bindings.append(barcodes)
            return bindings
        }
        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }

    /// The optimistic path's one write; see `writeIfUnchanged`. Arrays cannot carry NULL through
    /// postgres-nio's encoders, so absent values travel as sentinels no real value can take ('' for
    /// text, -1 for ids and amounts).
    struct WriteIfUnchanged: PostgresPreparedStatement {
        static let name = "godown_write_if_unchanged"
        static let sql = """
            WITH store AS (
                SELECT id FROM stores WHERE id = $1 AND deleted_at IS NULL FOR SHARE
            ), product AS (
                SELECT id FROM products WHERE id = ANY($2::INT8[]) AND deleted_at IS NULL ORDER BY id FOR SHARE
            ), supplier AS (
                SELECT id FROM suppliers WHERE id = ANY($3::INT8[]) AND deleted_at IS NULL ORDER BY id FOR SHARE
            ), head AS (
                UPDATE audit_chains SET sequence = $4::INT8 + 1, hash = $5
                WHERE chain = $1 AND sequence = $4::INT8
                    AND EXISTS (SELECT 1 FROM store)
                    AND (SELECT count(*) FROM product) = cardinality($2::INT8[])
                    AND (SELECT count(*) FROM supplier) = cardinality($3::INT8[])
                RETURNING chain
            ), claim AS (
                INSERT INTO idempotency_keys (key, request_hash, store_id, created_at)
                SELECT $6::TEXT, $7::TEXT, $1, now() FROM head WHERE $6::TEXT IS NOT NULL
            ), level AS (
                SELECT product_id FROM stock_levels
                WHERE store_id = $1 AND product_id = ANY($2::INT8[]) AND EXISTS (SELECT 1 FROM head)
                ORDER BY product_id FOR UPDATE
            ), moved AS (
                INSERT INTO movements (id, store_id, product_id, kind, delta, balance_after, reason, supplier_id,
                    unit_cost, unit_price, note, occurred_at, recorded_at, idempotency_key, actor_kind, actor_id, actor_name)
                SELECT line.id, $1, line.product_id, line.kind, line.delta, line.balance_after,
                    NULLIF(line.reason, ''), NULLIF(line.supplier_id, -1), NULLIF(line.unit_cost, -1),
                    NULLIF(line.unit_price, -1), NULLIF(line.note, ''),
                    'epoch'::TIMESTAMPTZ + line.occurred_ms * INTERVAL '1 millisecond', $19::TIMESTAMPTZ,
                    $6::TEXT, $20::TEXT, $21::INT8, $22::TEXT
                FROM unnest($8::INT8[], $9::INT8[], $10::TEXT[], $11::INT8[], $12::INT8[], $13::TEXT[], $14::INT8[],
                    $15::INT8[], $16::INT8[], $17::TEXT[], $18::INT8[])
                    AS line (id, product_id, kind, delta, balance_after, reason, supplier_id, unit_cost, unit_price,
                        note, occurred_ms)
                -- Joining the count makes the stock rows locked, in id order, before the trigger updates them.
                CROSS JOIN head CROSS JOIN (SELECT count(*) FROM level) AS locked
                ORDER BY line.id
            ), published AS (
                INSERT INTO events (type, store_id, audience, recorded_at, payload)
                SELECT e.type, e.store_id, 'readers', $19::TIMESTAMPTZ, e.payload
                FROM unnest($32::TEXT[], $33::INT8[], $34::TEXT[]) WITH ORDINALITY AS e (type, store_id, payload, n)
                CROSS JOIN head
                ORDER BY e.n
            )
            INSERT INTO audit_log (chain, sequence, recorded_at, actor_kind, actor_id, actor_name, role, action,
                entity_type, entity_id, before, after, request_id, client_address, previous_hash, hash)
            SELECT $1, $4::INT8 + 1, $19::TIMESTAMPTZ, $20::TEXT, $21::INT8, $22::TEXT, $23::TEXT, $24::TEXT, $25::TEXT,
                $26::TEXT, $27::TEXT, $28::TEXT, $29::TEXT, $30::TEXT, $31::TEXT, $5
            FROM head
            RETURNING id
            """
        var storeID: Int64
        var idempotency: IdempotencyClaim?
        /// Numbered, of one request (one time, key and actor).
        var movements: [Movement]
        var now: Date
        var context: ChangeContext
        var record: AuditRecord
        var headSequence: Int64
        var previousHash: String
        var hash: String

        func makeBindings() -> PostgresBindings {
            let actor = context.actor
            var bindings = PostgresBindings()
            bindings.append(storeID)
            bindings.append(Array(Set(movements.map(\.productID))).sorted())
            bindings.append(Array(Set(movements.compactMap(\.supplierID))).sorted())
            bindings.append(headSequence)
            bindings.append(hash)
            bindings.append(idempotency?.key)
            bindings.append(idempotency?.requestHash)
            bindings.append(movements.map(\.id))
            bindings.append(movements.map(\.productID))
            bindings.append(movements.map(\.kind.rawValue))
            bindings.append(movements.map(\.delta.thousandths))
            bindings.append(movements.map(\.balanceAfter.thousandths))
            bindings.append(movements.map { $0.reason ?? "" })
            bindings.append(movements.map { $0.supplierID ?? -1 })
            bindings.append(movements.map { $0.unitCost?.paise ?? -1 })
            bindings.append(movements.map { $0.unitPrice?.paise ?? -1 })
            bindings.append(movements.map { $0.note ?? "" })
            bindings.append(movements.map(\.occurredAt.unixMilliseconds))
            bindings.append(now)
            bindings.append(actor.kind.rawValue)
            bindings.append(actor.id)
            bindings.append(actor.name)
            bindings.append(context.role?.rawValue)
            bindings.append(record.action)
            bindings.append(record.entityType)
            bindings.append(record.entityID)
            bindings.append(record.before)
            bindings.append(record.after)
            bindings.append(context.requestID)
            bindings.append(context.clientAddress)
            bindings.append(previousHash)
            // A batch's events are movements and stock levels, all at its store and for every reader.
            bindings.append(record.events.map(\.type.rawValue))
            bindings.append(record.events.map { $0.storeID ?? storeID })
            bindings.append(record.events.map(\.payload))
            return bindings
        }
        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }

    /// The point stock read: $1 store, and the product by $2 id, $3 SKU or $4 barcode (the others NULL).
    /// The product is one id, so the plan probes primary keys; `p.id = $2 OR p.sku = $3 OR …` made
    /// PostgreSQL's generic plan scan the whole products table on every read.
    struct ReadStockLevel: PostgresPreparedStatement {
        static let name = "godown_read_stock_level"
        static let sql = """
            SELECT p.*, l.on_hand AS level_on_hand, l.reorder_level AS level_reorder_level,
                EXISTS (SELECT 1 FROM stores WHERE id = $1 AND deleted_at IS NULL) AS store_live
            FROM (SELECT 1) AS one
            LEFT JOIN products p ON p.id = COALESCE($2::INT8,
                    (SELECT id FROM products WHERE sku = $3::TEXT AND deleted_at IS NULL),
                    (SELECT id FROM products WHERE barcode = $4::TEXT AND deleted_at IS NULL))
                AND p.deleted_at IS NULL
            LEFT JOIN stock_levels l ON l.store_id = $1 AND l.product_id = p.id
            """
        var storeID: Int64
        var product: ProductReference
        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(storeID)
            if case .id(let id) = product { bindings.append(id) } else { bindings.append(Int64?.none) }
            if case .sku(let sku) = product { bindings.append(sku.value) } else { bindings.append(String?.none) }
            if case .barcode(let barcode) = product { bindings.append(barcode) } else { bindings.append(String?.none) }
            return bindings
        }
        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }
}

extension AsyncSequence where Element == PostgresRow {
    /// Collects every row through `transform`.
    func collectRows<T>(_ transform: (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
        var result: [T] = []
        for try await row in self {
            result.append(try transform(row.makeRandomAccess()))
        }
        return result
    }
}

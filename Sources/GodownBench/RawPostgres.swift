import Foundation
import PostgresNIO

/// The raw PostgreSQL ceiling: the least SQL that does each workload's work on godown's schema (same
/// tables, indexes, checks and ledger triggers), as server-side prepared statements, each one
/// statement in its own transaction, straight from postgres-nio without HTTP, JSON or audit.
enum RawPostgres {
    /// One movement: the store and product must be live, the stock row is created or locked, and the
    /// movement carries the new balance; the ledger trigger applies it. No row: it would go negative.
    struct RecordMovement: PostgresPreparedStatement {
        static let name = "bench_raw_record_movement"
        static let sql = """
            WITH live AS (
                SELECT p.id, p.sale_price FROM products p JOIN stores s ON s.id = $1 AND s.deleted_at IS NULL
                WHERE p.id = $2 AND p.deleted_at IS NULL
            ), level AS (
                INSERT INTO stock_levels (store_id, product_id) SELECT $1, id FROM live
                ON CONFLICT (store_id, product_id) DO UPDATE SET on_hand = stock_levels.on_hand
                RETURNING on_hand
            )
            INSERT INTO movements (store_id, product_id, kind, delta, balance_after, unit_price, occurred_at,
                recorded_at, actor_kind, actor_name)
            SELECT $1, $2, $3, $4, level.on_hand + $4, CASE WHEN $3 = 'sale' THEN live.sale_price END, now(), now(),
                'system', 'raw-ceiling'
            FROM level, live WHERE level.on_hand + $4 >= 0
            RETURNING balance_after
            """
        typealias Row = Int64

        var storeID: Int64
        var productID: Int64
        var kind: String
        var delta: Int64

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(storeID)
            bindings.append(productID)
            bindings.append(kind)
            bindings.append(delta)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Int64 { try row.decode(Int64.self) }
    }

    /// A batch: every line's balance computed set-based (a running sum per product over the locked
    /// stock rows) and inserted with one statement.
    struct RecordBatch: PostgresPreparedStatement {
        static let name = "bench_raw_record_batch"
        static let sql = """
            WITH line AS (
                SELECT * FROM unnest($2::INT8[], $3::TEXT[], $4::INT8[]) WITH ORDINALITY AS l (product_id, kind, delta, position)
            ), live AS (
                SELECT p.id, p.sale_price FROM products p JOIN stores s ON s.id = $1 AND s.deleted_at IS NULL
                WHERE p.id IN (SELECT product_id FROM line) AND p.deleted_at IS NULL
            ), level AS (
                INSERT INTO stock_levels (store_id, product_id) SELECT $1, id FROM live ORDER BY id
                ON CONFLICT (store_id, product_id) DO UPDATE SET on_hand = stock_levels.on_hand
                RETURNING product_id, on_hand
            )
            INSERT INTO movements (store_id, product_id, kind, delta, balance_after, unit_price, occurred_at,
                recorded_at, actor_kind, actor_name)
            SELECT $1, line.product_id, line.kind, line.delta,
                level.on_hand + sum(line.delta) OVER (PARTITION BY line.product_id ORDER BY line.position),
                CASE WHEN line.kind = 'sale' THEN live.sale_price END, now(), now(), 'system', 'raw-ceiling'
            FROM line JOIN level USING (product_id) JOIN live ON live.id = line.product_id
            ORDER BY line.position
            RETURNING id
            """
        typealias Row = Int64

        var storeID: Int64
        var productIDs: [Int64]
        var kinds: [String]
        var deltas: [Int64]

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(storeID)
            bindings.append(productIDs)
            bindings.append(kinds)
            bindings.append(deltas)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Int64 { try row.decode(Int64.self) }
    }

    /// One product's stock in one store, with the product and a check that the store is live: what the
    /// point read answers.
    struct ReadStockLevel: PostgresPreparedStatement {
        static let name = "bench_raw_read_stock_level"
        static let sql = """
            SELECT p.id, p.sku, p.name, p.unit, p.barcode, p.sale_price, p.active, p.created_at, p.updated_at,
                COALESCE(l.on_hand, 0), l.reorder_level
            FROM products p JOIN stores s ON s.id = $1 AND s.deleted_at IS NULL
            LEFT JOIN stock_levels l ON l.store_id = $1 AND l.product_id = p.id
            WHERE p.id = $2 AND p.deleted_at IS NULL
            """
        typealias Row = (Int64, String, String, String, String?, Int64?, Bool, Date, Date, Int64, Int64?)

        var storeID: Int64
        var productID: Int64

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(storeID)
            bindings.append(productID)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}

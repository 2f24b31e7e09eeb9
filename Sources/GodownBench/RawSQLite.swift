import Foundation
import GRDB
import InventoryCore

/// The raw SQLite ceiling: the least SQL that does a workload's work on godown's SQLite file (same
/// schema, triggers, WAL and `synchronous = FULL`), as cached prepared statements through GRDB,
/// without HTTP, JSON or audit.
struct RawSQLite: Sendable {
    let database: DatabasePool

    init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        database = try DatabasePool(path: path, configuration: configuration)
    }

    /// Records one movement in its own write transaction; false when a sale would go below zero.
    func recordMovement(storeID: Int64, productID: Int64, kind: String, delta: Int64) async throws -> Bool {
        try await database.write { db in
            guard
                let salePrice = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT p.sale_price FROM products p JOIN stores s ON s.id = ? AND s.deleted_at IS NULL
                            WHERE p.id = ? AND p.deleted_at IS NULL
                            """),
                    arguments: [storeID, productID])
            else { throw RawMissing() }
            let onHand =
                try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT on_hand FROM stock_levels WHERE store_id = ? AND product_id = ?"),
                    arguments: [storeID, productID]) ?? 0
            guard onHand + delta >= 0 else { return false }
            let now = Date().unixMilliseconds
            try db.cachedStatement(
                sql: """
                    INSERT INTO movements (store_id, product_id, kind, delta, balance_after, unit_price, occurred_at,
                        recorded_at, actor_kind, actor_name)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'system', 'raw-ceiling')
                    """
            ).execute(arguments: [
                storeID, productID, kind, delta, onHand + delta, kind == "sale" ? salePrice[0] as Int64? : nil, now,
                now,
            ])
            try db.cachedStatement(
                sql: """
                    INSERT INTO stock_levels (store_id, product_id, on_hand) VALUES (?, ?, ?)
                    ON CONFLICT (store_id, product_id) DO UPDATE SET on_hand = excluded.on_hand
                    """
            ).execute(arguments: [storeID, productID, onHand + delta])
            return true
        }
    }

    /// Reads one product's stock in one store with the product, checking the store is live.
    func readStockLevel(storeID: Int64, productID: Int64) async throws {
        try await database.read { db in
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT p.id, p.sku, p.name, p.unit, p.barcode, p.sale_price, p.active, p.created_at, p.updated_at,
                            COALESCE(l.on_hand, 0) AS on_hand, l.reorder_level
                        FROM products p JOIN stores s ON s.id = ? AND s.deleted_at IS NULL
                        LEFT JOIN stock_levels l ON l.store_id = s.id AND l.product_id = p.id
                        WHERE p.id = ? AND p.deleted_at IS NULL
                        """),
                arguments: [storeID, productID])
            guard row != nil else { throw RawMissing() }
        }
    }

    /// The number of movements, and of stock levels below zero (the ledger check).
    func counts() async throws -> (movements: Int, negative: Int) {
        try await database.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM movements") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM stock_levels WHERE on_hand < 0") ?? 0
            )
        }
    }
}

/// A store or product the ceiling expected to find was missing.
struct RawMissing: Error {}

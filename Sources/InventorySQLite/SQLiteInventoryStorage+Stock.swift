import Foundation
import GRDB
import InventoryCore

extension SQLiteInventoryStorage {
    public func stockLevels(_ query: StockQuery) async throws -> Page<StockLevel> {
        try await read { db in
            _ = try Self.requireStore(db, id: query.storeID)
            // As of an instant, on-hand is the last balance recorded by then (the book as it stood).
            let onHand: SQL =
                if let asOf = query.asOf {
                    """
                    COALESCE((SELECT m.balance_after FROM movements m WHERE m.store_id = \(query.storeID)
                        AND m.product_id = p.id AND m.recorded_at <= \(asOf.unixMilliseconds) ORDER BY m.id DESC LIMIT 1), 0)
                    """
                } else {
                    "COALESCE(s.on_hand, 0)"
                }
            let lowOnly: SQL = query.lowStockOnly ? "WHERE reorder_level IS NOT NULL AND on_hand <= reorder_level" : ""
            let rows = try Row.fetchAll(
                db,
                literal: """
                    SELECT * FROM (
                        SELECT \(Self.productColumns), \(onHand) AS on_hand, s.reorder_level
                        FROM products p
                        LEFT JOIN stock_levels s ON s.product_id = p.id AND s.store_id = \(query.storeID)
                        WHERE p.deleted_at IS NULL AND p.id > \(query.page.after ?? 0)
                    ) \(lowOnly)
                    ORDER BY p_id LIMIT \(query.page.limit + 1)
                    """)
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
                    literal: """
                        SELECT balance_after FROM movements
                        WHERE store_id = \(storeID) AND product_id = \(level.product.id)
                            AND recorded_at <= \(asOf.unixMilliseconds)
                        ORDER BY id DESC LIMIT 1
                        """)
                level.onHand = Quantity(thousandths: balance ?? 0)
            }
            return level
        }
    }

    static func stockLevel(_ db: Database, storeID: Int64, product reference: ProductReference) throws -> StockLevel {
        _ = try requireStore(db, id: storeID)
        let product = try requireProduct(db, reference)
        let row = try Row.fetchOne(
            db,
            literal:
                "SELECT on_hand, reorder_level FROM stock_levels WHERE store_id = \(storeID) AND product_id = \(product.id)"
        )
        return StockLevel(
            storeID: storeID, product: product, onHand: Quantity(thousandths: row?["on_hand"] ?? 0),
            reorderLevel: (row?["reorder_level"] as Int64?).map(Quantity.init(thousandths:)))
    }

    public func productStock(_ query: ProductStockQuery) async throws -> Page<StockLevel> {
        try await read { db in
            let product = try Self.requireProduct(db, query.product)
            var conditions = SQLiteConditions("st.deleted_at IS NULL", "st.id > \(query.page.after ?? 0)")
            conditions.stores("st.id", scope: query.scope, storeID: nil, cityID: nil)
            let rows = try Row.fetchAll(
                db,
                literal: """
                    SELECT st.id AS store_id, s.on_hand, s.reorder_level FROM stores st
                    LEFT JOIN stock_levels s ON s.store_id = st.id AND s.product_id = \(product.id)
                    WHERE \(conditions.sql) ORDER BY st.id LIMIT \(query.page.limit + 1)
                    """)
            let levels = rows.map { row in
                StockLevel(
                    storeID: row["store_id"], product: product, onHand: Quantity(thousandths: row["on_hand"] ?? 0),
                    reorderLevel: (row["reorder_level"] as Int64?).map(Quantity.init(thousandths:)))
            }
            return Page(fetched: levels, request: query.page, sortKey: \.storeID)
        }
    }

    public func movements(_ query: MovementQuery) async throws -> Page<Movement> {
        try await read { db in
            var conditions = SQLiteConditions()
            if let after = query.page.after { conditions.append("m.id < \(after)") }
            conditions.stores("m.store_id", scope: query.scope, storeID: query.storeID, cityID: query.cityID)
            switch query.product {
            case .id(let id): conditions.append("m.product_id = \(id)")
            case .sku(let sku): conditions.append("p.sku = \(sku.value)")
            case .barcode(let barcode): conditions.append("p.barcode = \(barcode)")
            case nil: break
            }
            conditions.equal("m.kind", query.kind?.rawValue)
            conditions.equal("m.supplier_id", query.supplierID)
            conditions.between("m.occurred_at", from: query.from, to: query.to)
            let rows = try Row.fetchAll(
                db,
                literal: """
                    SELECT m.*, p.sku FROM movements m JOIN products p ON p.id = m.product_id
                    WHERE \(conditions.sql) ORDER BY m.id DESC LIMIT \(query.page.limit + 1)
                    """)
            return Page(fetched: rows.map(Self.movement), request: query.page, sortKey: \.id)
        }
    }

    public func verifyLedger() async throws -> LedgerVerification {
        try await unboundedRead { db in
            var verifier = LedgerVerifier()
            let movements = try Row.fetchCursor(
                db,
                literal: """
                    SELECT m.store_id, m.product_id, m.id, m.delta, m.balance_after, COALESCE(s.on_hand, 0) AS on_hand
                    FROM movements m
                    LEFT JOIN stock_levels s ON s.store_id = m.store_id AND s.product_id = m.product_id
                    ORDER BY m.store_id, m.product_id, m.id
                    """)
            while let row = try movements.next() {
                verifier.observe(
                    storeID: row["store_id"], productID: row["product_id"], movementID: row["id"],
                    delta: Quantity(thousandths: row["delta"]),
                    balanceAfter: Quantity(thousandths: row["balance_after"]),
                    onHand: Quantity(thousandths: row["on_hand"]))
            }
            let orphans = try Row.fetchCursor(
                db,
                literal: """
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

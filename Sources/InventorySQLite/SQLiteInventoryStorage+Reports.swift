import Foundation
import GRDB
import InventoryCore

extension SQLiteInventoryStorage {
    public func stockReport(_ query: StockReportQuery) async throws -> Report<StockReportRow> {
        try await read { db in
            let (groupID, groupName): (SQL, SQL) =
                switch query.grouping {
                case .store: ("st.id", "st.code")
                case .city: ("st.city_id", "COALESCE(ci.name, '(no city)')")
                case .product: ("p.id", "p.sku")
                }
            var conditions = SQLiteConditions("st.deleted_at IS NULL", "p.deleted_at IS NULL")
            conditions.stores("sl.store_id", scope: query.scope, storeID: query.storeID, cityID: query.cityID)
            try Self.filterProduct(db, query.product, &conditions)
            if let supplierID = query.supplierID {
                conditions.append(
                    "p.id IN (SELECT product_id FROM product_suppliers WHERE supplier_id = \(supplierID))")
            }
            let rows = try Row.fetchAll(
                db,
                literal: """
                    WITH costs AS (\(Self.productCosts))
                    SELECT \(groupID) AS group_id, \(groupName) AS group_name, SUM(sl.on_hand) AS on_hand,
                        COALESCE(SUM(sl.on_hand * c.cost), 0) AS value, COUNT(*) AS levels,
                        SUM(CASE WHEN c.cost IS NULL THEN 1 ELSE 0 END) AS unvalued
                    FROM stock_levels sl
                    JOIN stores st ON st.id = sl.store_id
                    JOIN products p ON p.id = sl.product_id
                    LEFT JOIN cities ci ON ci.id = st.city_id
                    LEFT JOIN costs c ON c.product_id = sl.product_id
                    WHERE \(conditions.sql)
                    GROUP BY 1, 2 ORDER BY 2, 1 LIMIT \(Limits.reportRowsMax + 1)
                    """)
            return Report(
                fetched: rows.map { row in
                    StockReportRow(
                        groupID: row["group_id"], groupName: row["group_name"],
                        onHand: Quantity(thousandths: row["on_hand"]),
                        stockValue: Money(thousandthsOfPaise: row["value"]), levels: row["levels"],
                        unvaluedLevels: row["unvalued"])
                })
        }
    }

    public func salesReport(_ query: SalesReportQuery) async throws -> Report<SalesReportRow> {
        try await read { db in
            let local: SQL = "m.occurred_at / 1000, 'unixepoch', \("\(query.utcOffsetMinutes) minutes")"
            let period: SQL =
                switch query.period {
                case .day: "date(\(local))"
                case .week: "date(\(local), '-6 days', 'weekday 1')"
                case .month: "strftime('%Y-%m-01', \(local))"
                }
            let (groupID, groupName): (SQL, SQL) =
                switch query.grouping {
                case .store: ("st.id", "st.code")
                case .product: ("p.id", "p.sku")
                case .city: ("st.city_id", "COALESCE(ci.name, '(no city)')")
                case .supplier: ("su.id", "COALESCE(su.name, '(no preferred supplier)')")
                }
            var conditions = SQLiteConditions("m.kind = 'sale'")
            conditions.between("m.occurred_at", from: query.from, to: query.to)
            conditions.stores("m.store_id", scope: query.scope, storeID: query.storeID, cityID: query.cityID)
            try Self.filterProduct(db, query.product, &conditions)
            conditions.equal("su.id", query.supplierID)
            let rows = try Row.fetchAll(
                db,
                literal: """
                    SELECT \(period) AS period, \(groupID) AS group_id, \(groupName) AS group_name,
                        SUM(-m.delta) AS quantity, SUM(-m.delta * COALESCE(m.unit_price, 0)) AS revenue, COUNT(*) AS sales
                    FROM movements m
                    JOIN stores st ON st.id = m.store_id
                    JOIN products p ON p.id = m.product_id
                    LEFT JOIN cities ci ON ci.id = st.city_id
                    LEFT JOIN (product_suppliers pref JOIN suppliers su ON su.id = pref.supplier_id AND su.deleted_at IS NULL)
                        ON pref.product_id = m.product_id AND pref.preferred = 1
                    WHERE \(conditions.sql)
                    GROUP BY 1, 2, 3 ORDER BY 1, 3, 2 LIMIT \(Limits.reportRowsMax + 1)
                    """)
            return Report(
                fetched: rows.map { row in
                    SalesReportRow(
                        period: row["period"], groupID: row["group_id"], groupName: row["group_name"],
                        quantity: Quantity(thousandths: row["quantity"]),
                        revenue: Money(thousandthsOfPaise: row["revenue"]),
                        sales: row["sales"])
                })
        }
    }

    public func lowStockReport(_ query: LowStockQuery) async throws -> Page<LowStockRow> {
        try await read { db in
            var conditions = SQLiteConditions(
                "sl.reorder_level IS NOT NULL", "sl.on_hand <= sl.reorder_level", "st.deleted_at IS NULL",
                "p.deleted_at IS NULL")
            if let (store, product) = try query.page.afterPair() {
                conditions.append("(sl.store_id, sl.product_id) > (\(store), \(product))")
            }
            conditions.stores("sl.store_id", scope: query.scope, storeID: query.storeID, cityID: query.cityID)
            conditions.equal("su.id", query.supplierID)
            let rows = try Row.fetchAll(
                db,
                literal: """
                    SELECT sl.store_id, st.code, st.city_id, p.id AS product_id, p.sku, p.name, sl.on_hand, sl.reorder_level,
                        su.id AS supplier_id, su.name AS supplier_name, pref.cost_price, pref.lead_time_days
                    FROM stock_levels sl
                    JOIN stores st ON st.id = sl.store_id
                    JOIN products p ON p.id = sl.product_id
                    LEFT JOIN (product_suppliers pref JOIN suppliers su ON su.id = pref.supplier_id AND su.deleted_at IS NULL)
                        ON pref.product_id = p.id AND pref.preferred = 1
                    WHERE \(conditions.sql)
                    ORDER BY sl.store_id, sl.product_id LIMIT \(query.page.limit + 1)
                    """)
            let items = rows.map { row in
                LowStockRow(
                    storeID: row["store_id"], storeCode: row["code"], cityID: row["city_id"],
                    productID: row["product_id"],
                    sku: try! SKU(row["sku"] as String), productName: row["name"],
                    onHand: Quantity(thousandths: row["on_hand"]),
                    reorderLevel: Quantity(thousandths: row["reorder_level"]), preferredSupplierID: row["supplier_id"],
                    preferredSupplierName: row["supplier_name"],
                    costPrice: (row["cost_price"] as Int64?).map(Money.init(paise:)),
                    leadTimeDays: row["lead_time_days"])
            }
            return Page(fetched: items, request: query.page, sortKeys: { [$0.storeID, $0.productID] })
        }
    }

    /// Each product's unit cost: its preferred live supplier's cost price, else the lowest one offered.
    static let productCosts: SQL = """
        SELECT ps.product_id, COALESCE(MAX(CASE WHEN ps.preferred = 1 THEN ps.cost_price END), MIN(ps.cost_price)) AS cost
        FROM product_suppliers ps JOIN suppliers s ON s.id = ps.supplier_id AND s.deleted_at IS NULL
        GROUP BY ps.product_id
        """

    /// Only `product`'s rows, when given.
    static func filterProduct(_ db: Database, _ product: ProductReference?, _ conditions: inout SQLiteConditions) throws
    {
        guard let product else { return }
        conditions.append("p.id = \(try requireProduct(db, product).id)")
    }
}

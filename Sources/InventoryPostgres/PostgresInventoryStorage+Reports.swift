import Foundation
import InventoryCore
import PostgresNIO

extension PostgresInventoryStorage {
    public func stockReport(_ query: StockReportQuery) async throws -> Report<StockReportRow> {
        try await access { connection in
            let (groupID, groupName) =
                switch query.grouping {
                case .store: ("st.id", "st.code")
                case .city: ("st.city_id", "COALESCE(ci.name, '(no city)')")
                case .product: ("p.id", "p.sku")
                }
            var conditions = PostgresConditions("st.deleted_at IS NULL", "p.deleted_at IS NULL")
            conditions.stores("sl.store_id", scope: query.scope, storeID: query.storeID, cityID: query.cityID)
            try await self.filterProduct(connection, query.product, column: "p.id", &conditions)
            if let supplierID = query.supplierID {
                conditions.append(
                    "p.id IN (SELECT product_id FROM product_suppliers WHERE supplier_id = \(supplierID))")
            }
            let statement: QueryFragment = """
                WITH costs AS (\(unescaped: Self.productCosts))
                SELECT \(unescaped: groupID) AS group_id, \(unescaped: groupName) AS group_name,
                    SUM(sl.on_hand)::INT8 AS on_hand, COALESCE(SUM(sl.on_hand * c.cost), 0)::INT8 AS value,
                    COUNT(*) AS levels, COUNT(*) FILTER (WHERE c.cost IS NULL) AS unvalued
                FROM stock_levels sl
                JOIN stores st ON st.id = sl.store_id
                JOIN products p ON p.id = sl.product_id
                LEFT JOIN cities ci ON ci.id = st.city_id
                LEFT JOIN costs c ON c.product_id = sl.product_id
                \(conditions.whereClause)
                GROUP BY 1, 2 ORDER BY 2, 1 LIMIT \(Limits.reportRowsMax + 1)
                """
            let rows = try await connection.query(statement.query, logger: self.logger).collectRows { row in
                StockReportRow(
                    groupID: try row["group_id"].decode(Int64?.self),
                    groupName: try row["group_name"].decode(String.self),
                    onHand: Quantity(thousandths: try row["on_hand"].decode(Int64.self)),
                    stockValue: Money(thousandthsOfPaise: try row["value"].decode(Int64.self)),
                    levels: Int(try row["levels"].decode(Int64.self)),
                    unvaluedLevels: Int(try row["unvalued"].decode(Int64.self)))
            }
            return Report(fetched: rows)
        }
    }

    /// Sums sale movements per period and store (or product) first, from the covering partial index
    /// `movements_sales`, and only then joins names, cities or preferred suppliers onto those groups.
    public func salesReport(_ query: SalesReportQuery) async throws -> Report<SalesReportRow> {
        try await access { connection in
            let local: QueryFragment =
                "((m.occurred_at AT TIME ZONE 'UTC') + make_interval(mins => \(query.utcOffsetMinutes)::INT4))"
            let (key, joins, groupID, groupName) =
                switch query.grouping {
                case .store: ("m.store_id", "JOIN stores st ON st.id = s.key", "st.id", "st.code")
                case .city:
                    (
                        "m.store_id", "JOIN stores st ON st.id = s.key LEFT JOIN cities ci ON ci.id = st.city_id",
                        "st.city_id",
                        "COALESCE(ci.name, '(no city)')"
                    )
                case .product: ("m.product_id", "JOIN products p ON p.id = s.key", "p.id", "p.sku")
                case .supplier:
                    (
                        "m.product_id", "LEFT JOIN (\(Self.preferredSuppliers)) su ON su.product_id = s.key", "su.id",
                        "COALESCE(su.name, '(no preferred supplier)')"
                    )
                }
            var movements = PostgresConditions("m.kind = 'sale'")
            movements.between("m.occurred_at", from: query.from, to: query.to)
            movements.stores("m.store_id", scope: query.scope, storeID: query.storeID, cityID: query.cityID)
            try await self.filterProduct(connection, query.product, column: "m.product_id", &movements)
            if let supplierID = query.supplierID {
                movements.append(
                    "m.product_id IN (SELECT product_id FROM (\(unescaped: Self.preferredSuppliers)) ps WHERE ps.id = \(supplierID))"
                )
            }
            // The store filters again on the joined stores (the same stores pass), so the plan reads a
            // city's stores by index rather than every store.
            var stores = PostgresConditions()
            if query.grouping == .store || query.grouping == .city {
                stores.stores("st.id", scope: query.scope, storeID: query.storeID, cityID: nil)
                stores.equal("st.city_id", query.cityID)
            }
            let statement: QueryFragment = """
                WITH sales AS (
                    SELECT date_trunc(\(unescaped: "'\(query.period.rawValue)'"), \(local)) AS period, \(unescaped: key) AS key,
                        SUM(-m.delta) AS quantity, SUM(-m.delta * COALESCE(m.unit_price, 0)) AS revenue, COUNT(*) AS sales
                    FROM movements m
                    \(movements.whereClause)
                    GROUP BY 1, 2)
                SELECT to_char(s.period, 'YYYY-MM-DD') AS period, \(unescaped: groupID) AS group_id,
                    \(unescaped: groupName) AS group_name, SUM(s.quantity)::INT8 AS quantity, SUM(s.revenue)::INT8 AS revenue,
                    SUM(s.sales)::INT8 AS sales
                FROM sales s \(unescaped: joins)
                \(stores.whereClause)
                GROUP BY 1, 2, 3 ORDER BY 1, 3, 2 LIMIT \(Limits.reportRowsMax + 1)
                """
            let rows = try await connection.query(statement.query, logger: self.logger).collectRows { row in
                SalesReportRow(
                    period: try row["period"].decode(String.self), groupID: try row["group_id"].decode(Int64?.self),
                    groupName: try row["group_name"].decode(String.self),
                    quantity: Quantity(thousandths: try row["quantity"].decode(Int64.self)),
                    revenue: Money(thousandthsOfPaise: try row["revenue"].decode(Int64.self)),
                    sales: Int(try row["sales"].decode(Int64.self)))
            }
            return Report(fetched: rows)
        }
    }

    public func lowStockReport(_ query: LowStockQuery) async throws -> Page<LowStockRow> {
        try await access { connection in
            var conditions = PostgresConditions(
                "sl.reorder_level IS NOT NULL", "sl.on_hand <= sl.reorder_level", "st.deleted_at IS NULL",
                "p.deleted_at IS NULL")
            if let (store, product) = try query.page.afterPair() {
                conditions.append("(sl.store_id, sl.product_id) > (\(store), \(product))")
            }
            conditions.stores("sl.store_id", scope: query.scope, storeID: query.storeID, cityID: query.cityID)
            conditions.equal("su.id", query.supplierID)
            let statement: QueryFragment = """
                SELECT sl.store_id, st.code, st.city_id, p.id AS product_id, p.sku, p.name, sl.on_hand, sl.reorder_level,
                    su.id AS supplier_id, su.name AS supplier_name, su.cost_price, su.lead_time_days
                FROM stock_levels sl
                JOIN stores st ON st.id = sl.store_id
                JOIN products p ON p.id = sl.product_id
                LEFT JOIN (\(unescaped: Self.preferredSuppliers)) su ON su.product_id = p.id
                \(conditions.whereClause)
                ORDER BY sl.store_id, sl.product_id LIMIT \(query.page.limit + 1)
                """
            let items = try await connection.query(statement.query, logger: self.logger).collectRows { row in
                LowStockRow(
                    storeID: try row["store_id"].decode(Int64.self), storeCode: try row["code"].decode(String.self),
                    cityID: try row["city_id"].decode(Int64?.self), productID: try row["product_id"].decode(Int64.self),
                    sku: try! SKU(try row["sku"].decode(String.self)), productName: try row["name"].decode(String.self),
                    onHand: Quantity(thousandths: try row["on_hand"].decode(Int64.self)),
                    reorderLevel: Quantity(thousandths: try row["reorder_level"].decode(Int64.self)),
                    preferredSupplierID: try row["supplier_id"].decode(Int64?.self),
                    preferredSupplierName: try row["supplier_name"].decode(String?.self),
                    costPrice: try row["cost_price"].decode(Int64?.self).map(Money.init(paise:)),
                    leadTimeDays: try row["lead_time_days"].decode(Int32?.self).map(Int.init))
            }
            return Page(fetched: items, request: query.page, sortKeys: { [$0.storeID, $0.productID] })
        }
    }

    /// Each product's preferred supplier, when that supplier is live: `product_id`, `id`, `name` and
    /// the terms, `cost_price` and `lead_time_days`.
    static let preferredSuppliers = """
        SELECT pref.product_id, su.id, su.name, pref.cost_price, pref.lead_time_days
        FROM product_suppliers pref JOIN suppliers su ON su.id = pref.supplier_id AND su.deleted_at IS NULL
        WHERE pref.preferred
        """

    /// Each product's unit cost: its preferred live supplier's cost price, else the lowest one offered.
    static let productCosts = """
        SELECT ps.product_id, COALESCE(MAX(ps.cost_price) FILTER (WHERE ps.preferred), MIN(ps.cost_price)) AS cost
        FROM product_suppliers ps JOIN suppliers s ON s.id = ps.supplier_id AND s.deleted_at IS NULL
        GROUP BY ps.product_id
        """

    /// Only `product`'s rows (on `column`), when given.
    func filterProduct(
        _ connection: GuardedConnection, _ product: ProductReference?, column: String,
        _ conditions: inout PostgresConditions
    ) async throws {
        guard let product else { return }
        conditions.equal(column, try await Self.requireProduct(connection, product, logger: logger).id)
    }
}

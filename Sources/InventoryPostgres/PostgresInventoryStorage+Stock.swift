import Foundation
import InventoryCore
import PostgresNIO

extension PostgresInventoryStorage {
    public func stockLevels(_ query: StockQuery) async throws -> Page<StockLevel> {
        try await access { connection in
            _ = try await Self.requireStore(connection, id: query.storeID, logger: self.logger)
            // As of an instant, on-hand is the last balance recorded by then (the book as it stood).
            let onHand: QueryFragment =
                if let asOf = query.asOf {
                    """
                    COALESCE((SELECT m.balance_after FROM movements m WHERE m.store_id = \(query.storeID)
                        AND m.product_id = p.id AND m.recorded_at <= \(asOf) ORDER BY m.id DESC LIMIT 1), 0)
                    """
                } else {
                    "COALESCE(s.on_hand, 0)"
                }
            let lowOnly: QueryFragment =
                query.lowStockOnly ? "WHERE reorder_level IS NOT NULL AND on_hand <= reorder_level" : ""
            let statement: QueryFragment = """
                SELECT * FROM (
                    SELECT \(unescaped: Self.productColumns), \(onHand) AS on_hand, s.reorder_level
                    FROM products p LEFT JOIN stock_levels s ON s.product_id = p.id AND s.store_id = \(query.storeID)
                    WHERE p.deleted_at IS NULL AND p.id > \(query.page.after ?? 0)
                ) levels \(lowOnly)
                ORDER BY p_id LIMIT \(query.page.limit + 1)
                """
            let rows = try await connection.query(statement.query, logger: self.logger)
                .collectRows { try Self.stockLevel($0, storeID: query.storeID) }
            return Page(fetched: rows, request: query.page, sortKey: \.product.id)
        }
    }

    public func stockLevel(storeID: Int64, product: ProductReference, asOf: Date?) async throws -> StockLevel {
        try await access { connection in
            var level = try await self.stockLevel(connection, storeID: storeID, product: product)
            if let asOf {
                let balance = try await connection.query(
                    """
                    SELECT balance_after FROM movements
                    WHERE store_id = \(storeID) AND product_id = \(level.product.id) AND recorded_at <= \(asOf)
                    ORDER BY id DESC LIMIT 1
                    """, logger: self.logger
                ).collectRows { try $0[0].decode(Int64.self) }.first
                level.onHand = Quantity(thousandths: balance ?? 0)
            }
            return level
        }
    }

    /// One product's stock in one store, in one query: the store's liveness, the product named by
    /// `reference` and its level (zero when never stocked here).
    func stockLevel(_ connection: GuardedConnection, storeID: Int64, product reference: ProductReference)
        async throws -> StockLevel
    {
        let rows = try await connection.execute(
            PreparedStatement.ReadStockLevel(storeID: storeID, product: reference), logger: logger
        ).collectRows { row in
            (
                storeLive: try row["store_live"].decode(Bool.self),
                product: try row["id"].decode(Int64?.self) == nil ? nil : try Self.product(row),
                onHand: try row["level_on_hand"].decode(Int64?.self),
                reorderLevel: try row["level_reorder_level"].decode(Int64?.self)
            )
        }
        guard let row = rows.first, row.storeLive else { throw InventoryError.storeNotFound(id: storeID) }
        guard let product = row.product else { throw InventoryError.productNotFound(reference: "\(reference)") }
        return StockLevel(
            storeID: storeID, product: product, onHand: Quantity(thousandths: row.onHand ?? 0),
            reorderLevel: row.reorderLevel.map(Quantity.init(thousandths:)))
    }

    public func productStock(_ query: ProductStockQuery) async throws -> Page<StockLevel> {
        try await access { connection in
            let product = try await Self.requireProduct(connection, query.product, logger: self.logger)
            var conditions = PostgresConditions("st.id > \(query.page.after ?? 0)", "st.deleted_at IS NULL")
            conditions.stores("st.id", scope: query.scope, storeID: nil, cityID: nil)
            let statement: QueryFragment = """
                SELECT st.id AS store_id, s.on_hand, s.reorder_level FROM stores st
                LEFT JOIN stock_levels s ON s.store_id = st.id AND s.product_id = \(product.id)
                \(conditions.whereClause) ORDER BY st.id LIMIT \(query.page.limit + 1)
                """
            let levels = try await connection.query(statement.query, logger: self.logger).collectRows { row in
                StockLevel(
                    storeID: try row["store_id"].decode(Int64.self), product: product,
                    onHand: Quantity(thousandths: try row["on_hand"].decode(Int64?.self) ?? 0),
                    reorderLevel: try row["reorder_level"].decode(Int64?.self).map(Quantity.init(thousandths:)))
            }
            return Page(fetched: levels, request: query.page, sortKey: \.storeID)
        }
    }

    public func movements(_ query: MovementQuery) async throws -> Page<Movement> {
        try await access { connection in
            var conditions = PostgresConditions()
            if let after = query.page.after { conditions.append("m.id < \(after)") }
            conditions.stores("m.store_id", scope: query.scope, storeID: query.storeID, cityID: query.cityID)
            switch query.product {
            case .id(let id): conditions.append("m.product_id = \(id)")
            case .sku(let sku): conditions.append("m.product_id IN (SELECT id FROM products WHERE sku = \(sku.value))")
            case .barcode(let barcode):
                conditions.append("m.product_id IN (SELECT id FROM products WHERE barcode = \(barcode))")
            case nil: break
            }
            conditions.equal("m.kind", query.kind?.rawValue)
            conditions.equal("m.supplier_id", query.supplierID)
            conditions.between("m.occurred_at", from: query.from, to: query.to)
            // The page's ids first (from movements_store_occurred_ids alone when filtering by store and
            // time), then only those rows.
            let statement: QueryFragment = """
                WITH page AS MATERIALIZED (
                    SELECT m.id FROM movements m \(conditions.whereClause) ORDER BY m.id DESC LIMIT \(query.page.limit + 1))
                SELECT m.*, p.sku FROM page JOIN movements m ON m.id = page.id JOIN products p ON p.id = m.product_id
                ORDER BY m.id DESC
                """
            let rows = try await connection.query(statement.query, logger: self.logger).collectRows(Self.movement)
            return Page(fetched: rows, request: query.page, sortKey: \.id)
        }
    }

    public func verifyLedger() async throws -> LedgerVerification {
        try await unboundedTransaction { connection in
            // One snapshot for the whole walk, streamed row by row.
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: self.logger)
            var verifier = LedgerVerifier()
            let movements = try await connection.query(
                """
                SELECT m.store_id, m.product_id, m.id, m.delta, m.balance_after, COALESCE(s.on_hand, 0) AS on_hand
                FROM movements m
                LEFT JOIN stock_levels s ON s.store_id = m.store_id AND s.product_id = m.product_id
                ORDER BY m.store_id, m.product_id, m.id
                """, logger: self.logger)
            for try await (storeID, productID, id, delta, balance, onHand) in movements.decode(
                (Int64, Int64, Int64, Int64, Int64, Int64).self)
            {
                verifier.observe(
                    storeID: storeID, productID: productID, movementID: id, delta: Quantity(thousandths: delta),
                    balanceAfter: Quantity(thousandths: balance), onHand: Quantity(thousandths: onHand))
            }
            let orphans = try await connection.query(
                """
                SELECT store_id, product_id, on_hand FROM stock_levels s
                WHERE on_hand <> 0 AND NOT EXISTS (
                    SELECT 1 FROM movements m WHERE m.store_id = s.store_id AND m.product_id = s.product_id)
                """, logger: self.logger)
            for try await (storeID, productID, onHand) in orphans.decode((Int64, Int64, Int64).self) {
                verifier.observeStockWithoutMovements(
                    storeID: storeID, productID: productID, onHand: Quantity(thousandths: onHand))
            }
            return verifier.finish()
        }
    }
}

import Foundation
import InventoryCore
import PostgresNIO

extension PostgresInventoryStorage {
    // MARK: Cities

    public func createCity(_ draft: CityDraft) async throws -> City {
        try await access { connection in
            do {
                return try await connection.query(
                    """
                    INSERT INTO cities (name, state, created_at) VALUES (\(draft.name), \(draft.state),
                        \(Date().truncatedToMilliseconds)) RETURNING *
                    """, logger: self.logger
                ).collectRows(Self.city)[0]
            } catch let error as PSQLError where error.serverInfo?[.constraintName] == "cities_live_name" {
                throw InventoryError.duplicateCity(name: draft.name)
            }
        }
    }

    public func city(id: Int64) async throws -> City {
        try await access { try await Self.requireCity($0, id: id, logger: self.logger) }
    }

    public func listCities(_ query: DirectoryQuery) async throws -> Page<City> {
        try await access { connection in
            let rows = try await connection.query(
                PostgresQuery(
                    unsafeSQL: "SELECT * FROM cities WHERE id > $1 \(query.includeDeleted ? "" : "AND deleted_at IS NULL") ORDER BY id LIMIT $2",
                    binds: Self.bindings(query.page.after ?? 0, Int64(query.page.limit + 1))), logger: self.logger
            ).collectRows(Self.city)
            return Page(fetched: rows, request: query.page, sortKey: \.id)
        }
    }

    public func updateCity(id: Int64, changes: CityChanges) async throws -> City {
        try await transaction { connection in
            let changed = changes.applied(to: try await Self.requireCity(connection, id: id, logger: self.logger))
            do {
                return try await connection.query(
                    "UPDATE cities SET name = \(changed.name), state = \(changed.state) WHERE id = \(id) RETURNING *",
                    logger: self.logger
                ).collectRows(Self.city)[0]
            } catch let error as PSQLError where error.serverInfo?[.constraintName] == "cities_live_name" {
                throw InventoryError.duplicateCity(name: changed.name)
            }
        }
    }

    public func deleteCity(id: Int64) async throws {
        try await transaction { connection in
            _ = try await Self.requireCity(connection, id: id, logger: self.logger)
            try await connection.query(
                "UPDATE cities SET deleted_at = \(Date().truncatedToMilliseconds) WHERE id = \(id)", logger: self.logger)
        }
    }

    // MARK: Stores

    public func createStore(_ draft: StoreDraft) async throws -> Store {
        try await transaction { connection in
            if let cityID = draft.cityID { _ = try await Self.requireCity(connection, id: cityID, logger: self.logger) }
            do {
                return try await connection.query(
                    """
                    INSERT INTO stores (code, name, city_id, address, active, created_at)
                    VALUES (\(draft.code), \(draft.name), \(draft.cityID), \(draft.address), \(draft.active),
                        \(Date().truncatedToMilliseconds))
                    RETURNING *
                    """, logger: self.logger
                ).collectRows(Self.store)[0]
            } catch let error as PSQLError where error.serverInfo?[.constraintName] == "stores_code_key" {
                throw InventoryError.duplicateStoreCode(draft.code)
            }
        }
    }

    public func store(id: Int64) async throws -> Store {
        try await access { try await Self.requireStore($0, id: id, logger: self.logger) }
    }

    public func listStores(_ query: StoreQuery) async throws -> Page<Store> {
        try await access { connection in
            var sql = SQLBuilder()
            sql.filter("id > ?", query.page.after ?? 0)
            if !query.includeDeleted { sql.conditions.append("deleted_at IS NULL") }
            if let cityID = query.cityID { sql.filter("city_id = ?", cityID) }
            if let active = query.active { sql.filter("active = ?", active) }
            let limit = sql.bind(query.page.limit + 1)
            let rows = try await connection.query(
                sql.query("SELECT * FROM stores \(sql.whereClause) ORDER BY id LIMIT \(limit)"), logger: self.logger
            ).collectRows(Self.store)
            return Page(fetched: rows, request: query.page, sortKey: \.id)
        }
    }

    public func updateStore(id: Int64, changes: StoreChanges) async throws -> Store {
        try await transaction { connection in
            let current = try await Self.requireStore(connection, id: id, lock: "FOR UPDATE", logger: self.logger)
            let changed = changes.applied(to: current)
            if let cityID = changed.cityID, changes.cityID != nil {
                _ = try await Self.requireCity(connection, id: cityID, logger: self.logger)
            }
            return try await connection.query(
                """
                UPDATE stores SET name = \(changed.name), city_id = \(changed.cityID), address = \(changed.address),
                    active = \(changed.active)
                WHERE id = \(id) RETURNING *
                """, logger: self.logger
            ).collectRows(Self.store)[0]
        }
    }

    public func deleteStore(id: Int64) async throws {
        try await transaction { connection in
            // FOR UPDATE waits for movements in flight, which hold the store FOR SHARE.
            _ = try await Self.requireStore(connection, id: id, lock: "FOR UPDATE", logger: self.logger)
            let holds = try await connection.query(
                "SELECT EXISTS (SELECT 1 FROM stock_levels WHERE store_id = \(id) AND on_hand > 0)", logger: self.logger
            ).collectRows { try $0[0].decode(Bool.self) }[0]
            if holds { throw InventoryError.storeHasStock(storeID: id) }
            try await connection.query(
                "UPDATE stores SET deleted_at = \(Date().truncatedToMilliseconds) WHERE id = \(id)", logger: self.logger)
        }
    }

    // MARK: Suppliers

    public func createSupplier(_ draft: SupplierDraft) async throws -> Supplier {
        try await access { connection in
            try await connection.query(
                """
                INSERT INTO suppliers (name, contact, phone, active, created_at)
                VALUES (\(draft.name), \(draft.contact), \(draft.phone), \(draft.active), \(Date().truncatedToMilliseconds))
                RETURNING *
                """, logger: self.logger
            ).collectRows(Self.supplier)[0]
        }
    }

    public func supplier(id: Int64) async throws -> Supplier {
        try await access { try await Self.requireSupplier($0, id: id, logger: self.logger) }
    }

    public func listSuppliers(_ query: DirectoryQuery) async throws -> Page<Supplier> {
        try await access { connection in
            let rows = try await connection.query(
                PostgresQuery(
                    unsafeSQL: "SELECT * FROM suppliers WHERE id > $1 \(query.includeDeleted ? "" : "AND deleted_at IS NULL") ORDER BY id LIMIT $2",
                    binds: Self.bindings(query.page.after ?? 0, Int64(query.page.limit + 1))), logger: self.logger
            ).collectRows(Self.supplier)
            return Page(fetched: rows, request: query.page, sortKey: \.id)
        }
    }

    public func updateSupplier(id: Int64, changes: SupplierChanges) async throws -> Supplier {
        try await transaction { connection in
            let current = try await Self.requireSupplier(connection, id: id, lock: "FOR UPDATE", logger: self.logger)
            let changed = changes.applied(to: current)
            return try await connection.query(
                """
                UPDATE suppliers SET name = \(changed.name), contact = \(changed.contact), phone = \(changed.phone),
                    active = \(changed.active)
                WHERE id = \(id) RETURNING *
                """, logger: self.logger
            ).collectRows(Self.supplier)[0]
        }
    }

    public func deleteSupplier(id: Int64) async throws {
        try await transaction { connection in
            _ = try await Self.requireSupplier(connection, id: id, lock: "FOR UPDATE", logger: self.logger)
            try await connection.query(
                "UPDATE suppliers SET deleted_at = \(Date().truncatedToMilliseconds) WHERE id = \(id)", logger: self.logger)
        }
    }

    // MARK: Products and suppliers

    public func linkSupplier(product reference: ProductReference, supplierID: Int64, terms: ProductSupplierTerms)
        async throws -> ProductSupplier
    {
        try await transaction { connection in
            // Locking the product serialises concurrent changes to which supplier is preferred.
            let product = try await Self.requireProduct(connection, reference, lock: "FOR UPDATE", logger: self.logger)
            _ = try await Self.requireSupplier(connection, id: supplierID, logger: self.logger)
            if terms.preferred {
                try await connection.query(
                    "UPDATE product_suppliers SET preferred = false WHERE product_id = \(product.id) AND preferred",
                    logger: self.logger)
            }
            let leadTime = terms.leadTimeDays.map(Int32.init)
            try await connection.query(
                """
                INSERT INTO product_suppliers (product_id, supplier_id, supplier_sku, cost_price, lead_time_days, preferred)
                VALUES (\(product.id), \(supplierID), \(terms.supplierSKU), \(terms.costPrice?.paise), \(leadTime),
                    \(terms.preferred))
                ON CONFLICT (product_id, supplier_id) DO UPDATE SET supplier_sku = EXCLUDED.supplier_sku,
                    cost_price = EXCLUDED.cost_price, lead_time_days = EXCLUDED.lead_time_days,
                    preferred = EXCLUDED.preferred
                """, logger: self.logger)
            return try await connection.query(
                PostgresQuery(unsafeSQL: """
                    SELECT \(Self.productSupplierColumns) FROM product_suppliers l
                    JOIN products p ON p.id = l.product_id JOIN suppliers s ON s.id = l.supplier_id
                    WHERE l.product_id = $1 AND l.supplier_id = $2
                    """, binds: Self.bindings(product.id, supplierID)), logger: self.logger
            ).collectRows(Self.productSupplier)[0]
        }
    }

    public func unlinkSupplier(product reference: ProductReference, supplierID: Int64) async throws {
        try await transaction { connection in
            let product = try await Self.requireProduct(connection, reference, logger: self.logger)
            let deleted = try await connection.query(
                """
                DELETE FROM product_suppliers WHERE product_id = \(product.id) AND supplier_id = \(supplierID)
                RETURNING supplier_id
                """, logger: self.logger
            ).collectRows { _ in true }
            if deleted.isEmpty {
                throw InventoryError.supplierLinkNotFound(productID: product.id, supplierID: supplierID)
            }
        }
    }

    public func productSuppliers(_ reference: ProductReference) async throws -> [ProductSupplier] {
        try await access { connection in
            let product = try await Self.requireProduct(connection, reference, logger: self.logger)
            return try await connection.query(
                PostgresQuery(unsafeSQL: """
                    SELECT \(Self.productSupplierColumns) FROM product_suppliers l
                    JOIN products p ON p.id = l.product_id JOIN suppliers s ON s.id = l.supplier_id
                    WHERE l.product_id = $1 AND s.deleted_at IS NULL ORDER BY l.preferred DESC, l.supplier_id
                    """, binds: Self.bindings(product.id)), logger: self.logger
            ).collectRows(Self.productSupplier)
        }
    }

    public func supplierProducts(supplierID: Int64, page: PageRequest) async throws -> Page<ProductSupplier> {
        try await access { connection in
            _ = try await Self.requireSupplier(connection, id: supplierID, logger: self.logger)
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: """
                    SELECT \(Self.productSupplierColumns) FROM product_suppliers l
                    JOIN products p ON p.id = l.product_id JOIN suppliers s ON s.id = l.supplier_id
                    WHERE l.supplier_id = $1 AND p.deleted_at IS NULL AND l.product_id > $2 ORDER BY l.product_id LIMIT $3
                    """, binds: Self.bindings(supplierID, page.after ?? 0, Int64(page.limit + 1))), logger: self.logger
            ).collectRows(Self.productSupplier)
            return Page(fetched: rows, request: page, sortKey: \.productID)
        }
    }

    public func productStock(_ reference: ProductReference, page: PageRequest) async throws -> Page<StockLevel> {
        try await access { connection in
            let product = try await Self.requireProduct(connection, reference, logger: self.logger)
            let levels = try await connection.query(
                PostgresQuery(unsafeSQL: """
                    SELECT st.id AS store_id, s.on_hand, s.reorder_level FROM stores st
                    LEFT JOIN stock_levels s ON s.store_id = st.id AND s.product_id = $1
                    WHERE st.deleted_at IS NULL AND st.id > $2 ORDER BY st.id LIMIT $3
                    """, binds: Self.bindings(product.id, page.after ?? 0, Int64(page.limit + 1))), logger: self.logger
            ).collectRows { row in
                StockLevel(
                    storeID: try row["store_id"].decode(Int64.self), product: product,
                    onHand: Quantity(thousandths: try row["on_hand"].decode(Int64?.self) ?? 0),
                    reorderLevel: try row["reorder_level"].decode(Int64?.self).map(Quantity.init(thousandths:)))
            }
            return Page(fetched: levels, request: page, sortKey: \.storeID)
        }
    }
}

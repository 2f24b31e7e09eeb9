import Foundation
import InventoryCore
import PostgresNIO

extension PostgresInventoryStorage {
    // MARK: Cities

    public func createCity(_ draft: CityDraft, by context: ChangeContext) async throws -> City {
        try await transaction { connection in
            let city: City
            do {
                city = try await connection.query(
                    """
                    INSERT INTO cities (name, state, created_at) VALUES (\(draft.name), \(draft.state),
                        \(Date().truncatedToMilliseconds)) RETURNING *
                    """, logger: self.logger
                ).collectRows(Self.city)[0]
            } catch let error as PSQLError where error.serverInfo?[.constraintName] == "cities_live_name" {
                throw InventoryError.duplicateCity(name: draft.name)
            }
            try await self.appendAudit(connection, .change("city.create", "city", id: city.id, before: nil, after: city), context)
            return city
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

    public func updateCity(id: Int64, changes: CityChanges, by context: ChangeContext) async throws -> City {
        try await transaction { connection in
            let current = try await Self.requireCity(connection, id: id, logger: self.logger)
            let changed = changes.applied(to: current)
            let city: City
            do {
                city = try await connection.query(
                    "UPDATE cities SET name = \(changed.name), state = \(changed.state) WHERE id = \(id) RETURNING *",
                    logger: self.logger
                ).collectRows(Self.city)[0]
            } catch let error as PSQLError where error.serverInfo?[.constraintName] == "cities_live_name" {
                throw InventoryError.duplicateCity(name: changed.name)
            }
            try await self.appendAudit(connection, .change("city.update", "city", id: id, before: current, after: city), context)
            return city
        }
    }

    public func deleteCity(id: Int64, by context: ChangeContext) async throws {
        try await transaction { connection in
            let city = try await Self.requireCity(connection, id: id, logger: self.logger)
            try await connection.query(
                "UPDATE cities SET deleted_at = \(Date().truncatedToMilliseconds) WHERE id = \(id)", logger: self.logger)
            try await self.appendAudit(connection, .change("city.delete", "city", id: id, before: city, after: nil), context)
        }
    }

    // MARK: Stores

    public func createStore(_ draft: StoreDraft, by context: ChangeContext) async throws -> Store {
        try await transaction { connection in
            if let cityID = draft.cityID { _ = try await Self.requireCity(connection, id: cityID, logger: self.logger) }
            let store: Store
            do {
                store = try await connection.query(
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
            try await self.appendAudit(connection, .change("store.create", "store", id: store.id, before: nil, after: store), context)
            return store
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
            sql.filter(scope: query.scope, column: "id")
            let limit = sql.bind(query.page.limit + 1)
            let rows = try await connection.query(
                sql.query("SELECT * FROM stores \(sql.whereClause) ORDER BY id LIMIT \(limit)"), logger: self.logger
            ).collectRows(Self.store)
            return Page(fetched: rows, request: query.page, sortKey: \.id)
        }
    }

    public func updateStore(id: Int64, changes: StoreChanges, by context: ChangeContext) async throws -> Store {
        try await transaction { connection in
            let current = try await Self.requireStore(connection, id: id, lock: "FOR UPDATE", logger: self.logger)
            let changed = changes.applied(to: current)
            if let cityID = changed.cityID, changes.cityID != nil {
                _ = try await Self.requireCity(connection, id: cityID, logger: self.logger)
            }
            let store = try await connection.query(
                """
                UPDATE stores SET name = \(changed.name), city_id = \(changed.cityID), address = \(changed.address),
                    active = \(changed.active)
                WHERE id = \(id) RETURNING *
                """, logger: self.logger
            ).collectRows(Self.store)[0]
            try await self.appendAudit(connection, .change("store.update", "store", id: id, before: current, after: store, chain: id), context)
            return store
        }
    }

    public func deleteStore(id: Int64, by context: ChangeContext) async throws {
        try await transaction { connection in
            // FOR UPDATE waits for movements in flight, which hold the store FOR SHARE.
            let store = try await Self.requireStore(connection, id: id, lock: "FOR UPDATE", logger: self.logger)
            let holds = try await connection.query(
                "SELECT EXISTS (SELECT 1 FROM stock_levels WHERE store_id = \(id) AND on_hand > 0)", logger: self.logger
            ).collectRows { try $0[0].decode(Bool.self) }[0]
            if holds { throw InventoryError.storeHasStock(storeID: id) }
            try await connection.query(
                "UPDATE stores SET deleted_at = \(Date().truncatedToMilliseconds) WHERE id = \(id)", logger: self.logger)
            try await self.appendAudit(connection, .change("store.delete", "store", id: id, before: store, after: nil, chain: id), context)
        }
    }

    // MARK: Suppliers

    public func createSupplier(_ draft: SupplierDraft, by context: ChangeContext) async throws -> Supplier {
        try await transaction { connection in
            let supplier = try await connection.query(
                """
                INSERT INTO suppliers (name, contact, phone, active, created_at)
                VALUES (\(draft.name), \(draft.contact), \(draft.phone), \(draft.active), \(Date().truncatedToMilliseconds))
                RETURNING *
                """, logger: self.logger
            ).collectRows(Self.supplier)[0]
            try await self.appendAudit(connection, .change("supplier.create", "supplier", id: supplier.id, before: nil, after: supplier), context)
            return supplier
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

    public func updateSupplier(id: Int64, changes: SupplierChanges, by context: ChangeContext) async throws -> Supplier {
        try await transaction { connection in
            let current = try await Self.requireSupplier(connection, id: id, lock: "FOR UPDATE", logger: self.logger)
            let changed = changes.applied(to: current)
            let supplier = try await connection.query(
                """
                UPDATE suppliers SET name = \(changed.name), contact = \(changed.contact), phone = \(changed.phone),
                    active = \(changed.active)
                WHERE id = \(id) RETURNING *
                """, logger: self.logger
            ).collectRows(Self.supplier)[0]
            try await self.appendAudit(connection, .change("supplier.update", "supplier", id: id, before: current, after: supplier), context)
            return supplier
        }
    }

    public func deleteSupplier(id: Int64, by context: ChangeContext) async throws {
        try await transaction { connection in
            let supplier = try await Self.requireSupplier(connection, id: id, lock: "FOR UPDATE", logger: self.logger)
            try await connection.query(
                "UPDATE suppliers SET deleted_at = \(Date().truncatedToMilliseconds) WHERE id = \(id)", logger: self.logger)
            try await self.appendAudit(connection, .change("supplier.delete", "supplier", id: id, before: supplier, after: nil), context)
        }
    }

    // MARK: Products and suppliers

    public func linkSupplier(
        product reference: ProductReference, supplierID: Int64, terms: ProductSupplierTerms, by context: ChangeContext
    ) async throws -> ProductSupplier {
        try await transaction { connection in
            // Locking the product serialises concurrent changes to which supplier is preferred.
            let product = try await Self.requireProduct(connection, reference, lock: "FOR UPDATE", logger: self.logger)
            _ = try await Self.requireSupplier(connection, id: supplierID, logger: self.logger)
            let current = try await self.productSupplier(connection, productID: product.id, supplierID: supplierID)
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
            let link = try await self.productSupplier(connection, productID: product.id, supplierID: supplierID)!
            try await self.appendAudit(
                connection,
                .change("product_supplier.link", "product_supplier", id: "\(product.id)/\(supplierID)", before: current,
                        after: link), context)
            return link
        }
    }

    private func productSupplier(_ connection: GuardedConnection, productID: Int64, supplierID: Int64) async throws
        -> ProductSupplier?
    {
        try await connection.query(
            PostgresQuery(unsafeSQL: """
                SELECT \(Self.productSupplierColumns) FROM product_suppliers l
                JOIN products p ON p.id = l.product_id JOIN suppliers s ON s.id = l.supplier_id
                WHERE l.product_id = $1 AND l.supplier_id = $2
                """, binds: Self.bindings(productID, supplierID)), logger: logger
        ).collectRows(Self.productSupplier).first
    }

    public func unlinkSupplier(product reference: ProductReference, supplierID: Int64, by context: ChangeContext)
        async throws
    {
        try await transaction { connection in
            let product = try await Self.requireProduct(connection, reference, logger: self.logger)
            let current = try await self.productSupplier(connection, productID: product.id, supplierID: supplierID)
            let deleted = try await connection.query(
                """
                DELETE FROM product_suppliers WHERE product_id = \(product.id) AND supplier_id = \(supplierID)
                RETURNING supplier_id
                """, logger: self.logger
            ).collectRows { _ in true }
            if deleted.isEmpty {
                throw InventoryError.supplierLinkNotFound(productID: product.id, supplierID: supplierID)
            }
            try await self.appendAudit(
                connection,
                .change("product_supplier.unlink", "product_supplier", id: "\(product.id)/\(supplierID)",
                        before: current, after: nil), context)
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

    public func productStock(_ reference: ProductReference, scope: StoreScope, page: PageRequest) async throws
        -> Page<StockLevel>
    {
        try await access { connection in
            let product = try await Self.requireProduct(connection, reference, logger: self.logger)
            var sql = SQLBuilder()
            let productID = sql.bind(product.id)
            sql.filter("st.id > ?", page.after ?? 0)
            sql.conditions.append("st.deleted_at IS NULL")
            sql.filter(scope: scope, column: "st.id")
            let limit = sql.bind(page.limit + 1)
            let levels = try await connection.query(
                sql.query("""
                    SELECT st.id AS store_id, s.on_hand, s.reorder_level FROM stores st
                    LEFT JOIN stock_levels s ON s.store_id = st.id AND s.product_id = \(productID)
                    \(sql.whereClause) ORDER BY st.id LIMIT \(limit)
                    """), logger: self.logger
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

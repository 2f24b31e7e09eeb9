import Foundation
import GRDB
import InventoryCore

extension SQLiteInventoryStorage {
    // MARK: Cities

    public func createCity(_ draft: CityDraft, by context: ChangeContext) async throws -> City {
        try await write { db in
            try Self.checkCityUnique(db, name: draft.name, state: draft.state, exceptID: 0)
            let row = try Row.fetchOne(
                db, sql: "INSERT INTO cities (name, state, created_at) VALUES (?, ?, ?) RETURNING *",
                arguments: [draft.name, draft.state, Date().unixMilliseconds])!
            let city = Self.city(row)
            try Self.appendAudit(db, .change("city.create", "city", id: city.id, before: nil, after: city), context)
            return city
        }
    }

    public func city(id: Int64) async throws -> City {
        try await read { db in try Self.requireCity(db, id: id) }
    }

    public func listCities(_ query: DirectoryQuery) async throws -> Page<City> {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM cities WHERE id > ? \(query.includeDeleted ? "" : "AND deleted_at IS NULL") ORDER BY id LIMIT ?",
                arguments: [query.page.after ?? 0, query.page.limit + 1])
            return Page(fetched: rows.map(Self.city), request: query.page, sortKey: \.id)
        }
    }

    public func updateCity(id: Int64, changes: CityChanges, by context: ChangeContext) async throws -> City {
        try await write { db in
            let current = try Self.requireCity(db, id: id)
            let changed = changes.applied(to: current)
            try Self.checkCityUnique(db, name: changed.name, state: changed.state, exceptID: id)
            let row = try Row.fetchOne(
                db, sql: "UPDATE cities SET name = ?, state = ? WHERE id = ? RETURNING *",
                arguments: [changed.name, changed.state, id])!
            let city = Self.city(row)
            try Self.appendAudit(db, .change("city.update", "city", id: id, before: current, after: city), context)
            return city
        }
    }

    public func deleteCity(id: Int64, by context: ChangeContext) async throws {
        try await write { db in
            let city = try Self.requireCity(db, id: id)
            try db.execute(sql: "UPDATE cities SET deleted_at = ? WHERE id = ?", arguments: [Date().unixMilliseconds, id])
            try Self.appendAudit(db, .change("city.delete", "city", id: id, before: city, after: nil), context)
        }
    }

    private static func checkCityUnique(_ db: Database, name: String, state: String?, exceptID: Int64) throws {
        let taken = try Bool.fetchOne(
            db,
            sql: """
                SELECT EXISTS (SELECT 1 FROM cities WHERE name = ? AND COALESCE(state, '') = COALESCE(?, '')
                    AND deleted_at IS NULL AND id <> ?)
                """, arguments: [name, state, exceptID])
        if taken == true { throw InventoryError.duplicateCity(name: name) }
    }

    // MARK: Stores

    public func createStore(_ draft: StoreDraft, by context: ChangeContext) async throws -> Store {
        try await write { db in
            if let cityID = draft.cityID { _ = try Self.requireCity(db, id: cityID) }
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM stores WHERE code = ?)", arguments: [draft.code])
                == true
            {
                throw InventoryError.duplicateStoreCode(draft.code)
            }
            let row = try Row.fetchOne(
                db,
                sql: """
                    INSERT INTO stores (code, name, city_id, address, active, created_at) VALUES (?, ?, ?, ?, ?, ?)
                    RETURNING *
                    """,
                arguments: [draft.code, draft.name, draft.cityID, draft.address, draft.active, Date().unixMilliseconds])!
            let store = Self.store(row)
            try Self.appendAudit(db, .change("store.create", "store", id: store.id, before: nil, after: store), context)
            return store
        }
    }

    public func store(id: Int64) async throws -> Store {
        try await read { db in try Self.requireStore(db, id: id) }
    }

    public func listStores(_ query: StoreQuery) async throws -> Page<Store> {
        try await read { db in
            var conditions = ["id > ?"]
            var arguments: StatementArguments = [query.page.after ?? 0]
            if !query.includeDeleted { conditions.append("deleted_at IS NULL") }
            if let cityID = query.cityID {
                conditions.append("city_id = ?")
                arguments += [cityID]
            }
            if let active = query.active {
                conditions.append("active = ?")
                arguments += [active]
            }
            if let scope = Self.scopeCondition(query.scope, column: "id") {
                conditions.append(scope.condition)
                arguments += scope.arguments
            }
            arguments += [query.page.limit + 1]
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM stores WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT ?",
                arguments: arguments)
            return Page(fetched: rows.map(Self.store), request: query.page, sortKey: \.id)
        }
    }

    public func updateStore(id: Int64, changes: StoreChanges, by context: ChangeContext) async throws -> Store {
        try await write { db in
            let current = try Self.requireStore(db, id: id)
            let changed = changes.applied(to: current)
            if let cityID = changed.cityID, changes.cityID != nil { _ = try Self.requireCity(db, id: cityID) }
            let row = try Row.fetchOne(
                db, sql: "UPDATE stores SET name = ?, city_id = ?, address = ?, active = ? WHERE id = ? RETURNING *",
                arguments: [changed.name, changed.cityID, changed.address, changed.active, id])!
            let store = Self.store(row)
            try Self.appendAudit(
                db, .change("store.update", "store", id: id, before: current, after: store, chain: id), context)
            return store
        }
    }

    public func deleteStore(id: Int64, by context: ChangeContext) async throws {
        try await write { db in
            let store = try Self.requireStore(db, id: id)
            if try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM stock_levels WHERE store_id = ? AND on_hand > 0)", arguments: [id])
                == true
            {
                throw InventoryError.storeHasStock(storeID: id)
            }
            try db.execute(sql: "UPDATE stores SET deleted_at = ? WHERE id = ?", arguments: [Date().unixMilliseconds, id])
            try Self.appendAudit(db, .change("store.delete", "store", id: id, before: store, after: nil, chain: id), context)
        }
    }

    // MARK: Suppliers

    public func createSupplier(_ draft: SupplierDraft, by context: ChangeContext) async throws -> Supplier {
        try await write { db in
            let row = try Row.fetchOne(
                db,
                sql: "INSERT INTO suppliers (name, contact, phone, active, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *",
                arguments: [draft.name, draft.contact, draft.phone, draft.active, Date().unixMilliseconds])!
            let supplier = Self.supplier(row)
            try Self.appendAudit(
                db, .change("supplier.create", "supplier", id: supplier.id, before: nil, after: supplier), context)
            return supplier
        }
    }

    public func supplier(id: Int64) async throws -> Supplier {
        try await read { db in try Self.requireSupplier(db, id: id) }
    }

    public func listSuppliers(_ query: DirectoryQuery) async throws -> Page<Supplier> {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM suppliers WHERE id > ? \(query.includeDeleted ? "" : "AND deleted_at IS NULL") ORDER BY id LIMIT ?",
                arguments: [query.page.after ?? 0, query.page.limit + 1])
            return Page(fetched: rows.map(Self.supplier), request: query.page, sortKey: \.id)
        }
    }

    public func updateSupplier(id: Int64, changes: SupplierChanges, by context: ChangeContext) async throws -> Supplier {
        try await write { db in
            let current = try Self.requireSupplier(db, id: id)
            let changed = changes.applied(to: current)
            let row = try Row.fetchOne(
                db, sql: "UPDATE suppliers SET name = ?, contact = ?, phone = ?, active = ? WHERE id = ? RETURNING *",
                arguments: [changed.name, changed.contact, changed.phone, changed.active, id])!
            let supplier = Self.supplier(row)
            try Self.appendAudit(db, .change("supplier.update", "supplier", id: id, before: current, after: supplier), context)
            return supplier
        }
    }

    public func deleteSupplier(id: Int64, by context: ChangeContext) async throws {
        try await write { db in
            let supplier = try Self.requireSupplier(db, id: id)
            try db.execute(sql: "UPDATE suppliers SET deleted_at = ? WHERE id = ?", arguments: [Date().unixMilliseconds, id])
            try Self.appendAudit(db, .change("supplier.delete", "supplier", id: id, before: supplier, after: nil), context)
        }
    }

    // MARK: Products and suppliers

    public func linkSupplier(
        product reference: ProductReference, supplierID: Int64, terms: ProductSupplierTerms, by context: ChangeContext
    ) async throws -> ProductSupplier {
        try await write { db in
            let product = try Self.requireProduct(db, reference)
            _ = try Self.requireSupplier(db, id: supplierID)
            let current = try Self.productSupplier(db, productID: product.id, supplierID: supplierID)
            if terms.preferred {
                try db.execute(sql: "UPDATE product_suppliers SET preferred = 0 WHERE product_id = ?", arguments: [product.id])
            }
            try db.execute(
                sql: """
                    INSERT INTO product_suppliers (product_id, supplier_id, supplier_sku, cost_price, lead_time_days, preferred)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (product_id, supplier_id) DO UPDATE SET supplier_sku = excluded.supplier_sku,
                        cost_price = excluded.cost_price, lead_time_days = excluded.lead_time_days,
                        preferred = excluded.preferred
                    """,
                arguments: [product.id, supplierID, terms.supplierSKU, terms.costPrice?.paise, terms.leadTimeDays,
                            terms.preferred])
            let link = try Self.productSupplier(db, productID: product.id, supplierID: supplierID)!
            try Self.appendAudit(
                db,
                .change("product_supplier.link", "product_supplier", id: "\(product.id)/\(supplierID)", before: current,
                        after: link), context)
            return link
        }
    }

    private static func productSupplier(_ db: Database, productID: Int64, supplierID: Int64) throws -> ProductSupplier? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT \(Self.productSupplierColumns) FROM product_suppliers l
                JOIN products p ON p.id = l.product_id JOIN suppliers s ON s.id = l.supplier_id
                WHERE l.product_id = ? AND l.supplier_id = ?
                """, arguments: [productID, supplierID]
        ).map(Self.productSupplier)
    }

    public func unlinkSupplier(product reference: ProductReference, supplierID: Int64, by context: ChangeContext)
        async throws
    {
        try await write { db in
            let product = try Self.requireProduct(db, reference)
            let current = try Self.productSupplier(db, productID: product.id, supplierID: supplierID)
            try db.execute(
                sql: "DELETE FROM product_suppliers WHERE product_id = ? AND supplier_id = ?",
                arguments: [product.id, supplierID])
            if db.changesCount == 0 {
                throw InventoryError.supplierLinkNotFound(productID: product.id, supplierID: supplierID)
            }
            try Self.appendAudit(
                db,
                .change("product_supplier.unlink", "product_supplier", id: "\(product.id)/\(supplierID)",
                        before: current, after: nil), context)
        }
    }

    public func productSuppliers(_ reference: ProductReference) async throws -> [ProductSupplier] {
        try await read { db in
            let product = try Self.requireProduct(db, reference)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.productSupplierColumns) FROM product_suppliers l
                    JOIN products p ON p.id = l.product_id JOIN suppliers s ON s.id = l.supplier_id
                    WHERE l.product_id = ? AND s.deleted_at IS NULL ORDER BY l.preferred DESC, l.supplier_id
                    """, arguments: [product.id]
            ).map(Self.productSupplier)
        }
    }

    public func supplierProducts(supplierID: Int64, page: PageRequest) async throws -> Page<ProductSupplier> {
        try await read { db in
            _ = try Self.requireSupplier(db, id: supplierID)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.productSupplierColumns) FROM product_suppliers l
                    JOIN products p ON p.id = l.product_id JOIN suppliers s ON s.id = l.supplier_id
                    WHERE l.supplier_id = ? AND p.deleted_at IS NULL AND l.product_id > ? ORDER BY l.product_id LIMIT ?
                    """, arguments: [supplierID, page.after ?? 0, page.limit + 1])
            return Page(fetched: rows.map(Self.productSupplier), request: page, sortKey: \.productID)
        }
    }

    public func productStock(_ reference: ProductReference, scope: StoreScope, page: PageRequest) async throws
        -> Page<StockLevel>
    {
        try await read { db in
            let product = try Self.requireProduct(db, reference)
            let scope = Self.scopeCondition(scope, column: "st.id")
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT st.id AS store_id, s.on_hand, s.reorder_level FROM stores st
                    LEFT JOIN stock_levels s ON s.store_id = st.id AND s.product_id = ?
                    WHERE st.deleted_at IS NULL AND st.id > ? AND \(scope?.condition ?? "1") ORDER BY st.id LIMIT ?
                    """, arguments: [product.id, page.after ?? 0] + (scope?.arguments ?? []) + [page.limit + 1])
            let levels = rows.map { row in
                StockLevel(
                    storeID: row["store_id"], product: product, onHand: Quantity(thousandths: row["on_hand"] ?? 0),
                    reorderLevel: (row["reorder_level"] as Int64?).map(Quantity.init(thousandths:)))
            }
            return Page(fetched: levels, request: page, sortKey: \.storeID)
        }
    }
}

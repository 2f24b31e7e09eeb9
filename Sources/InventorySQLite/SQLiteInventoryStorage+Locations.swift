import Foundation
import GRDB
import InventoryCore

extension SQLiteInventoryStorage {
    // MARK: Cities

    public func createCity(_ draft: CityDraft) async throws -> City {
        try await write { db in
            try Self.checkCityUnique(db, name: draft.name, state: draft.state, exceptID: 0)
            let row = try Row.fetchOne(
                db, sql: "INSERT INTO cities (name, state, created_at) VALUES (?, ?, ?) RETURNING *",
                arguments: [draft.name, draft.state, Date().unixMilliseconds])!
            return Self.city(row)
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

    public func updateCity(id: Int64, changes: CityChanges) async throws -> City {
        try await write { db in
            let changed = changes.applied(to: try Self.requireCity(db, id: id))
            try Self.checkCityUnique(db, name: changed.name, state: changed.state, exceptID: id)
            let row = try Row.fetchOne(
                db, sql: "UPDATE cities SET name = ?, state = ? WHERE id = ? RETURNING *",
                arguments: [changed.name, changed.state, id])!
            return Self.city(row)
        }
    }

    public func deleteCity(id: Int64) async throws {
        try await write { db in
            _ = try Self.requireCity(db, id: id)
            try db.execute(sql: "UPDATE cities SET deleted_at = ? WHERE id = ?", arguments: [Date().unixMilliseconds, id])
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

    public func createStore(_ draft: StoreDraft) async throws -> Store {
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
            return Self.store(row)
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
            arguments += [query.page.limit + 1]
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM stores WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT ?",
                arguments: arguments)
            return Page(fetched: rows.map(Self.store), request: query.page, sortKey: \.id)
        }
    }

    public func updateStore(id: Int64, changes: StoreChanges) async throws -> Store {
        try await write { db in
            let changed = changes.applied(to: try Self.requireStore(db, id: id))
            if let cityID = changed.cityID, changes.cityID != nil { _ = try Self.requireCity(db, id: cityID) }
            let row = try Row.fetchOne(
                db, sql: "UPDATE stores SET name = ?, city_id = ?, address = ?, active = ? WHERE id = ? RETURNING *",
                arguments: [changed.name, changed.cityID, changed.address, changed.active, id])!
            return Self.store(row)
        }
    }

    public func deleteStore(id: Int64) async throws {
        try await write { db in
            _ = try Self.requireStore(db, id: id)
            if try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM stock_levels WHERE store_id = ? AND on_hand > 0)", arguments: [id])
                == true
            {
                throw InventoryError.storeHasStock(storeID: id)
            }
            try db.execute(sql: "UPDATE stores SET deleted_at = ? WHERE id = ?", arguments: [Date().unixMilliseconds, id])
        }
    }

    // MARK: Suppliers

    public func createSupplier(_ draft: SupplierDraft) async throws -> Supplier {
        try await write { db in
            let row = try Row.fetchOne(
                db,
                sql: "INSERT INTO suppliers (name, contact, phone, active, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *",
                arguments: [draft.name, draft.contact, draft.phone, draft.active, Date().unixMilliseconds])!
            return Self.supplier(row)
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

    public func updateSupplier(id: Int64, changes: SupplierChanges) async throws -> Supplier {
        try await write { db in
            let changed = changes.applied(to: try Self.requireSupplier(db, id: id))
            let row = try Row.fetchOne(
                db, sql: "UPDATE suppliers SET name = ?, contact = ?, phone = ?, active = ? WHERE id = ? RETURNING *",
                arguments: [changed.name, changed.contact, changed.phone, changed.active, id])!
            return Self.supplier(row)
        }
    }

    public func deleteSupplier(id: Int64) async throws {
        try await write { db in
            _ = try Self.requireSupplier(db, id: id)
            try db.execute(sql: "UPDATE suppliers SET deleted_at = ? WHERE id = ?", arguments: [Date().unixMilliseconds, id])
        }
    }

    // MARK: Products and suppliers

    public func linkSupplier(product reference: ProductReference, supplierID: Int64, terms: ProductSupplierTerms)
        async throws -> ProductSupplier
    {
        try await write { db in
            let product = try Self.requireProduct(db, reference)
            _ = try Self.requireSupplier(db, id: supplierID)
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
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT \(Self.productSupplierColumns) FROM product_suppliers l
                    JOIN products p ON p.id = l.product_id JOIN suppliers s ON s.id = l.supplier_id
                    WHERE l.product_id = ? AND l.supplier_id = ?
                    """, arguments: [product.id, supplierID])!
            return Self.productSupplier(row)
        }
    }

    public func unlinkSupplier(product reference: ProductReference, supplierID: Int64) async throws {
        try await write { db in
            let product = try Self.requireProduct(db, reference)
            try db.execute(
                sql: "DELETE FROM product_suppliers WHERE product_id = ? AND supplier_id = ?",
                arguments: [product.id, supplierID])
            if db.changesCount == 0 {
                throw InventoryError.supplierLinkNotFound(productID: product.id, supplierID: supplierID)
            }
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

    public func productStock(_ reference: ProductReference, page: PageRequest) async throws -> Page<StockLevel> {
        try await read { db in
            let product = try Self.requireProduct(db, reference)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT st.id AS store_id, s.on_hand, s.reorder_level FROM stores st
                    LEFT JOIN stock_levels s ON s.store_id = st.id AND s.product_id = ?
                    WHERE st.deleted_at IS NULL AND st.id > ? ORDER BY st.id LIMIT ?
                    """, arguments: [product.id, page.after ?? 0, page.limit + 1])
            let levels = rows.map { row in
                StockLevel(
                    storeID: row["store_id"], product: product, onHand: Quantity(thousandths: row["on_hand"] ?? 0),
                    reorderLevel: (row["reorder_level"] as Int64?).map(Quantity.init(thousandths:)))
            }
            return Page(fetched: levels, request: page, sortKey: \.storeID)
        }
    }
}

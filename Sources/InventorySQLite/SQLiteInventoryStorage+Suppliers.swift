import Foundation
import GRDB
import InventoryCore

extension SQLiteInventoryStorage {
    public func createSupplier(_ draft: SupplierDraft, by context: ChangeContext) async throws -> Supplier {
        try await write { db, now in
            let row = try Row.fetchOne(
                db,
                literal: """
                    INSERT INTO suppliers (name, contact, phone, active, created_at)
                    VALUES (\(draft.name), \(draft.contact), \(draft.phone), \(draft.active), \(now.unixMilliseconds))
                    RETURNING *
                    """)!
            let supplier = Self.supplier(row)
            try Self.appendAudit(db, .supplier(.create, before: nil, after: supplier), context, now: now)
            return supplier
        }
    }

    public func supplier(id: Int64) async throws -> Supplier {
        try await read { db in try Self.requireSupplier(db, id: id) }
    }

    public func listSuppliers(_ query: DirectoryQuery) async throws -> Page<Supplier> {
        try await read { db in
            let conditions = SQLiteConditions(page: query.page, includeDeleted: query.includeDeleted)
            let rows = try Row.fetchAll(
                db, literal: "SELECT * FROM suppliers WHERE \(conditions.sql) ORDER BY id LIMIT \(query.page.limit + 1)"
            )
            return Page(fetched: rows.map(Self.supplier), request: query.page, sortKey: \.id)
        }
    }

    public func updateSupplier(id: Int64, changes: SupplierChanges, by context: ChangeContext) async throws -> Supplier
    {
        try await write { db, now in
            let current = try Self.requireSupplier(db, id: id)
            let changed = changes.applied(to: current)
            let row = try Row.fetchOne(
                db,
                literal: """
                    UPDATE suppliers SET name = \(changed.name), contact = \(changed.contact), phone = \(changed.phone),
                        active = \(changed.active)
                    WHERE id = \(id) RETURNING *
                    """)!
            let supplier = Self.supplier(row)
            try Self.appendAudit(db, .supplier(.update, before: current, after: supplier), context, now: now)
            return supplier
        }
    }

    public func deleteSupplier(id: Int64, by context: ChangeContext) async throws {
        try await write { db, now in
            let supplier = try Self.requireSupplier(db, id: id)
            try db.execute(literal: "UPDATE suppliers SET deleted_at = \(now.unixMilliseconds) WHERE id = \(id)")
            try Self.appendAudit(db, .supplier(.delete, before: supplier, after: nil), context, now: now)
        }
    }

    public func linkSupplier(
        product reference: ProductReference, supplierID: Int64, terms: ProductSupplierTerms, by context: ChangeContext
    ) async throws -> ProductSupplier {
        try await write { db, now in
            let product = try Self.requireProduct(db, reference)
            _ = try Self.requireSupplier(db, id: supplierID)
            let current = try Self.productSupplier(db, productID: product.id, supplierID: supplierID)
            if terms.preferred {
                try db.execute(literal: "UPDATE product_suppliers SET preferred = 0 WHERE product_id = \(product.id)")
            }
            try db.execute(
                literal: """
                    INSERT INTO product_suppliers (product_id, supplier_id, supplier_sku, cost_price, lead_time_days, preferred)
                    VALUES (\(product.id), \(supplierID), \(terms.supplierSKU), \(terms.costPrice?.paise),
                        \(terms.leadTimeDays), \(terms.preferred))
                    ON CONFLICT (product_id, supplier_id) DO UPDATE SET supplier_sku = excluded.supplier_sku,
                        cost_price = excluded.cost_price, lead_time_days = excluded.lead_time_days,
                        preferred = excluded.preferred
                    """)
            let link = try Self.productSupplier(db, productID: product.id, supplierID: supplierID)!
            try Self.appendAudit(db, .supplierLinked(before: current, after: link), context, now: now)
            return link
        }
    }

    public func unlinkSupplier(product reference: ProductReference, supplierID: Int64, by context: ChangeContext)
        async throws
    {
        try await write { db, now in
            let product = try Self.requireProduct(db, reference)
            guard let current = try Self.productSupplier(db, productID: product.id, supplierID: supplierID) else {
                throw InventoryError.supplierLinkNotFound(productID: product.id, supplierID: supplierID)
            }
            try db.execute(
                literal:
                    "DELETE FROM product_suppliers WHERE product_id = \(product.id) AND supplier_id = \(supplierID)")
            try Self.appendAudit(db, .supplierUnlinked(current), context, now: now)
        }
    }

    public func productSuppliers(_ reference: ProductReference) async throws -> [ProductSupplier] {
        try await read { db in
            let product = try Self.requireProduct(db, reference)
            return try Row.fetchAll(
                db,
                literal: """
                    SELECT \(Self.productSupplierColumns) \(Self.productSupplierJoin)
                    WHERE l.product_id = \(product.id) AND s.deleted_at IS NULL ORDER BY l.preferred DESC, l.supplier_id
                    """
            ).map(Self.productSupplier)
        }
    }

    public func supplierProducts(supplierID: Int64, page: PageRequest) async throws -> Page<ProductSupplier> {
        try await read { db in
            _ = try Self.requireSupplier(db, id: supplierID)
            let rows = try Row.fetchAll(
                db,
                literal: """
                    SELECT \(Self.productSupplierColumns) \(Self.productSupplierJoin)
                    WHERE l.supplier_id = \(supplierID) AND p.deleted_at IS NULL AND l.product_id > \(page.after ?? 0)
                    ORDER BY l.product_id LIMIT \(page.limit + 1)
                    """)
            return Page(fetched: rows.map(Self.productSupplier), request: page, sortKey: \.productID)
        }
    }

    private static func productSupplier(_ db: Database, productID: Int64, supplierID: Int64) throws -> ProductSupplier?
    {
        try Row.fetchOne(
            db,
            literal: """
                SELECT \(productSupplierColumns) \(productSupplierJoin)
                WHERE l.product_id = \(productID) AND l.supplier_id = \(supplierID)
                """
        ).map(productSupplier)
    }

    /// The join `productSupplierColumns` reads from.
    static let productSupplierJoin: SQL = """
        FROM product_suppliers l JOIN products p ON p.id = l.product_id JOIN suppliers s ON s.id = l.supplier_id
        """
}

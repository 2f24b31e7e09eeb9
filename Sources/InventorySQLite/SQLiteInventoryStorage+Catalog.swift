import Foundation
import GRDB
import InventoryCore

extension SQLiteInventoryStorage {
    public func createProduct(_ draft: ProductDraft, by context: ChangeContext) async throws -> Product {
        try await write { db in
            try Self.checkUnique(db, sku: draft.sku, barcode: draft.barcode, exceptProductID: nil)
            let now = Date().unixMilliseconds
            let row = try Row.fetchOne(
                db,
                sql: """
                    INSERT INTO products (sku, name, unit, barcode, sale_price, active, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *
                    """,
                arguments: [
                    draft.sku.value, draft.name, draft.unit.rawValue, draft.barcode, draft.salePrice?.paise,
                    draft.active, now, now,
                ])!
            let product = Self.product(row)
            try Self.appendAudit(db, .change("product.create", "product", id: product.id, before: nil, after: product), context)
            return product
        }
    }

    public func product(_ reference: ProductReference) async throws -> Product {
        try await read { db in try Self.requireProduct(db, reference) }
    }

    public func listProducts(_ query: ProductQuery) async throws -> Page<Product> {
        try await read { db in
            var conditions = ["id > ?"]
            var arguments: StatementArguments = [query.page.after ?? 0]
            if !query.includeDeleted { conditions.append("deleted_at IS NULL") }
            if let search = query.search {
                conditions.append(#"(sku LIKE ? ESCAPE '\' OR name LIKE ? ESCAPE '\')"#)
                let escaped = Self.escapeLike(search)
                arguments += [escaped.uppercased() + "%", "%" + escaped + "%"]
            }
            if let sku = query.sku {
                conditions.append("sku = ?")
                arguments += [sku.value]
            }
            if let barcode = query.barcode {
                conditions.append("barcode = ?")
                arguments += [barcode]
            }
            if let active = query.active {
                conditions.append("active = ?")
                arguments += [active]
            }
            arguments += [query.page.limit + 1]
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM products WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT ?",
                arguments: arguments)
            return Page(fetched: rows.map { Self.product($0) }, request: query.page, sortKey: \.id)
        }
    }

    public func updateProduct(_ reference: ProductReference, changes: ProductChanges, by context: ChangeContext)
        async throws -> Product
    {
        try await write { db in
            let current = try Self.requireProduct(db, reference)
            let changed = changes.applied(to: current, at: Date().truncatedToMilliseconds)
            if changed.unit != current.unit,
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM movements WHERE product_id = ?)",
                                  arguments: [current.id]) == true
            {
                throw InventoryError.invalidField(
                    name: "unit", reason: "cannot change the unit of a product that already has movements")
            }
            try Self.checkUnique(
                db, sku: changed.sku == current.sku ? nil : changed.sku,
                barcode: changed.barcode == current.barcode ? nil : changed.barcode, exceptProductID: current.id)
            let row = try Row.fetchOne(
                db,
                sql: """
                    UPDATE products SET sku = ?, name = ?, unit = ?, barcode = ?, sale_price = ?, active = ?,
                        updated_at = ?
                    WHERE id = ? RETURNING *
                    """,
                arguments: [
                    changed.sku.value, changed.name, changed.unit.rawValue, changed.barcode, changed.salePrice?.paise,
                    changed.active, changed.updatedAt.unixMilliseconds, current.id,
                ])!
            let product = Self.product(row)
            try Self.appendAudit(
                db, .change("product.update", "product", id: product.id, before: current, after: product), context)
            return product
        }
    }

    public func deleteProduct(_ reference: ProductReference, by context: ChangeContext) async throws {
        try await write { db in
            let product = try Self.requireProduct(db, reference)
            if let onHand = try Int64.fetchOne(
                db, sql: "SELECT sum(on_hand) FROM stock_levels WHERE product_id = ?", arguments: [product.id]),
                onHand > 0
            {
                throw InventoryError.productHasStock(sku: product.sku.value, onHand: Quantity(thousandths: onHand))
            }
            try db.execute(
                sql: "UPDATE products SET deleted_at = ? WHERE id = ?",
                arguments: [Date().unixMilliseconds, product.id])
            try Self.appendAudit(
                db, .change("product.delete", "product", id: product.id, before: product, after: nil), context)
        }
    }

    /// The live product named by `reference`, or `productNotFound`.
    static func requireProduct(_ db: Database, _ reference: ProductReference) throws -> Product {
        let row =
            switch reference {
            case .id(let id):
                try Row.fetchOne(db, sql: "SELECT * FROM products WHERE id = ? AND deleted_at IS NULL", arguments: [id])
            case .sku(let sku):
                try Row.fetchOne(
                    db, sql: "SELECT * FROM products WHERE sku = ? AND deleted_at IS NULL", arguments: [sku.value])
            case .barcode(let barcode):
                try Row.fetchOne(
                    db, sql: "SELECT * FROM products WHERE barcode = ? AND deleted_at IS NULL", arguments: [barcode])
            }
        guard let row else { throw InventoryError.productNotFound(reference: "\(reference)") }
        return product(row)
    }

    /// Refuses a SKU or barcode that another live product uses. Safe from races because it runs
    /// inside the single IMMEDIATE write transaction; the partial unique indexes back it up.
    static func checkUnique(_ db: Database, sku: SKU?, barcode: String?, exceptProductID: Int64?) throws {
        let except = exceptProductID ?? 0
        if let sku, try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM products WHERE sku = ? AND deleted_at IS NULL AND id <> ?)",
            arguments: [sku.value, except]) == true
        {
            throw InventoryError.duplicateSKU(sku)
        }
        if let barcode, try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM products WHERE barcode = ? AND deleted_at IS NULL AND id <> ?)",
            arguments: [barcode, except]) == true
        {
            throw InventoryError.duplicateBarcode(barcode)
        }
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}

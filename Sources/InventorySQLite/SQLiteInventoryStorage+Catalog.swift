import Foundation
import GRDB
import InventoryCore

extension SQLiteInventoryStorage {
    public func createProduct(_ draft: ProductDraft, by context: ChangeContext) async throws -> Product {
        try await write { db, now in
            try Self.checkUnique(db, sku: draft.sku, barcode: draft.barcode, exceptProductID: nil)
            let row = try Row.fetchOne(
                db,
                literal: """
                    INSERT INTO products (sku, name, unit, barcode, sale_price, active, created_at, updated_at)
                    VALUES (\(draft.sku.value), \(draft.name), \(draft.unit.rawValue), \(draft.barcode),
                        \(draft.salePrice?.paise), \(draft.active), \(now.unixMilliseconds), \(now.unixMilliseconds))
                    RETURNING *
                    """)!
            let product = Self.product(row)
            try Self.appendAudit(db, .product(.create, before: nil, after: product), context, now: now)
            return product
        }
    }

    public func product(_ reference: ProductReference) async throws -> Product {
        try await read { db in try Self.requireProduct(db, reference) }
    }

    public func listProducts(_ query: ProductQuery) async throws -> Page<Product> {
        try await read { db in
            var conditions = SQLiteConditions(page: query.page, includeDeleted: query.includeDeleted)
            if let search = query.search {
                let escaped = Self.escapeLike(search)
                conditions.append(
                    #"(sku LIKE \#(escaped.uppercased() + "%") ESCAPE '\' OR name LIKE \#("%" + escaped + "%") ESCAPE '\')"#
                )
            }
            conditions.equal("sku", query.sku?.value)
            conditions.equal("barcode", query.barcode)
            conditions.equal("active", query.active)
            let rows = try Row.fetchAll(
                db, literal: "SELECT * FROM products WHERE \(conditions.sql) ORDER BY id LIMIT \(query.page.limit + 1)")
            return Page(fetched: rows.map { Self.product($0) }, request: query.page, sortKey: \.id)
        }
    }

    public func updateProduct(_ reference: ProductReference, changes: ProductChanges, by context: ChangeContext)
        async throws -> Product
    {
        try await write { db, now in
            let current = try Self.requireProduct(db, reference)
            let changed = changes.applied(to: current, at: now)
            if changed.unit != current.unit,
                try Bool.fetchOne(
                    db, literal: "SELECT EXISTS (SELECT 1 FROM movements WHERE product_id = \(current.id))")
                    == true
            {
                throw InventoryError.invalidField(
                    name: "unit", reason: "cannot change the unit of a product that already has movements")
            }
            try Self.checkUnique(
                db, sku: changed.sku == current.sku ? nil : changed.sku,
                barcode: changed.barcode == current.barcode ? nil : changed.barcode, exceptProductID: current.id)
            let row = try Row.fetchOne(
                db,
                literal: """
                    UPDATE products SET sku = \(changed.sku.value), name = \(changed.name), unit = \(changed.unit.rawValue),
                        barcode = \(changed.barcode), sale_price = \(changed.salePrice?.paise), active = \(changed.active),
                        updated_at = \(changed.updatedAt.unixMilliseconds)
                    WHERE id = \(current.id) RETURNING *
                    """)!
            let product = Self.product(row)
            try Self.appendAudit(db, .product(.update, before: current, after: product), context, now: now)
            return product
        }
    }

    public func deleteProduct(_ reference: ProductReference, by context: ChangeContext) async throws {
        try await write { db, now in
            let product = try Self.requireProduct(db, reference)
            if let onHand = try Int64.fetchOne(
                db, literal: "SELECT sum(on_hand) FROM stock_levels WHERE product_id = \(product.id)"),
                onHand > 0
            {
                throw InventoryError.productHasStock(sku: product.sku.value, onHand: Quantity(thousandths: onHand))
            }
            try db.execute(literal: "UPDATE products SET deleted_at = \(now.unixMilliseconds) WHERE id = \(product.id)")
            try Self.appendAudit(db, .product(.delete, before: product, after: nil), context, now: now)
        }
    }

    /// The live product named by `reference`, or `productNotFound`.
    static func requireProduct(_ db: Database, _ reference: ProductReference) throws -> Product {
        let match: SQL =
            switch reference {
            case .id(let id): "id = \(id)"
            case .sku(let sku): "sku = \(sku.value)"
            case .barcode(let barcode): "barcode = \(barcode)"
            }
        guard let row = try Row.fetchOne(db, literal: "SELECT * FROM products WHERE \(match) AND deleted_at IS NULL")
        else { throw InventoryError.productNotFound(reference: "\(reference)") }
        return product(row)
    }

    /// Refuses a SKU or barcode that another live product uses. Safe from races because it runs
    /// inside the single IMMEDIATE write transaction; the partial unique indexes back it up.
    static func checkUnique(_ db: Database, sku: SKU?, barcode: String?, exceptProductID: Int64?) throws {
        let except = exceptProductID ?? 0
        if let sku,
            try Bool.fetchOne(
                db,
                literal: """
                    SELECT EXISTS (SELECT 1 FROM products WHERE sku = \(sku.value) AND deleted_at IS NULL AND id <> \(except))
                    """) == true
        {
            throw InventoryError.duplicateSKU(sku)
        }
        if let barcode,
            try Bool.fetchOne(
                db,
                literal: """
                    SELECT EXISTS (SELECT 1 FROM products WHERE barcode = \(barcode) AND deleted_at IS NULL AND id <> \(except))
                    """) == true
        {
            throw InventoryError.duplicateBarcode(barcode)
        }
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}

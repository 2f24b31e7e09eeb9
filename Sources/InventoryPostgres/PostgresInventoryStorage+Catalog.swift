import Foundation
import InventoryCore
import PostgresNIO

extension PostgresInventoryStorage {
    public func createProduct(_ draft: ProductDraft, by context: ChangeContext) async throws -> Product {
        try await transaction { connection in
            let now = Date().truncatedToMilliseconds
            let product: Product
            do {
                product = try await connection.query(
                    """
                    INSERT INTO products (sku, name, unit, barcode, sale_price, active, created_at, updated_at)
                    VALUES (\(draft.sku.value), \(draft.name), \(draft.unit.rawValue), \(draft.barcode),
                        \(draft.salePrice?.paise), \(draft.active), \(now), \(now))
                    RETURNING *
                    """, logger: self.logger
                ).collectRows(Self.product)[0]
            } catch let error as PSQLError {
                throw Self.duplicate(error, sku: draft.sku, barcode: draft.barcode)
            }
            try await self.appendAudit(
                connection, .change("product.create", "product", id: product.id, before: nil, after: product), context)
            return product
        }
    }

    public func product(_ reference: ProductReference) async throws -> Product {
        try await access { try await Self.requireProduct($0, reference, logger: self.logger) }
    }

    public func listProducts(_ query: ProductQuery) async throws -> Page<Product> {
        try await access { connection in
            var sql = SQLBuilder()
            sql.filter("id > ?", query.page.after ?? 0)
            if !query.includeDeleted { sql.conditions.append("deleted_at IS NULL") }
            if let search = query.search {
                let escaped = Self.escapeLike(search)
                let prefix = sql.bind(escaped.uppercased() + "%")
                let part = sql.bind("%" + escaped + "%")
                sql.conditions.append("(sku LIKE \(prefix) OR name ILIKE \(part))")
            }
            if let sku = query.sku { sql.filter("sku = ?", sku.value) }
            if let barcode = query.barcode { sql.filter("barcode = ?", barcode) }
            if let active = query.active { sql.filter("active = ?", active) }
            let limit = sql.bind(query.page.limit + 1)
            let rows = try await connection.query(
                sql.query("SELECT * FROM products \(sql.whereClause) ORDER BY id LIMIT \(limit)"), logger: self.logger
            ).collectRows(Self.product)
            return Page(fetched: rows, request: query.page, sortKey: \.id)
        }
    }

    public func updateProduct(_ reference: ProductReference, changes: ProductChanges, by context: ChangeContext)
        async throws -> Product
    {
        try await transaction { connection in
            let current = try await Self.requireProduct(connection, reference, lock: "FOR UPDATE", logger: self.logger)
            let changed = changes.applied(to: current, at: Date().truncatedToMilliseconds)
            if changed.unit != current.unit {
                let moved = try await connection.query(
                    "SELECT EXISTS (SELECT 1 FROM movements WHERE product_id = \(current.id))", logger: self.logger
                ).collectRows { try $0[0].decode(Bool.self) }[0]
                if moved {
                    throw InventoryError.invalidField(
                        name: "unit", reason: "cannot change the unit of a product that already has movements")
                }
            }
            let product: Product
            do {
                product = try await connection.query(
                    """
                    UPDATE products SET sku = \(changed.sku.value), name = \(changed.name), unit = \(changed.unit.rawValue),
                        barcode = \(changed.barcode), sale_price = \(changed.salePrice?.paise), active = \(changed.active),
                        updated_at = \(changed.updatedAt)
                    WHERE id = \(current.id) RETURNING *
                    """, logger: self.logger
                ).collectRows(Self.product)[0]
            } catch let error as PSQLError {
                throw Self.duplicate(error, sku: changed.sku, barcode: changed.barcode)
            }
            try await self.appendAudit(
                connection, .change("product.update", "product", id: product.id, before: current, after: product),
                context)
            return product
        }
    }

    public func deleteProduct(_ reference: ProductReference, by context: ChangeContext) async throws {
        try await transaction { connection in
            // FOR UPDATE waits for movements in flight, which hold the product FOR SHARE.
            let product = try await Self.requireProduct(connection, reference, lock: "FOR UPDATE", logger: self.logger)
            let onHand = try await connection.query(
                "SELECT COALESCE(sum(on_hand), 0)::INT8 FROM stock_levels WHERE product_id = \(product.id)",
                logger: self.logger
            ).collectRows { try $0[0].decode(Int64.self) }[0]
            guard onHand == 0 else {
                throw InventoryError.productHasStock(sku: product.sku.value, onHand: Quantity(thousandths: onHand))
            }
            try await connection.query(
                "UPDATE products SET deleted_at = \(Date().truncatedToMilliseconds) WHERE id = \(product.id)",
                logger: self.logger)
            try await self.appendAudit(
                connection, .change("product.delete", "product", id: product.id, before: product, after: nil), context)
        }
    }

    /// The live product named by `reference`, optionally locked (`FOR SHARE`, `FOR UPDATE`).
    static func requireProduct(
        _ connection: GuardedConnection, _ reference: ProductReference, lock: String = "", logger: Logger
    ) async throws -> Product {
        var sql = SQLBuilder()
        switch reference {
        case .id(let id): sql.filter("id = ?", id)
        case .sku(let sku): sql.filter("sku = ?", sku.value)
        case .barcode(let barcode): sql.filter("barcode = ?", barcode)
        }
        let rows = try await connection.query(
            sql.query("SELECT * FROM products \(sql.whereClause) AND deleted_at IS NULL \(lock)"), logger: logger
        ).collectRows(product)
        guard let product = rows.first else { throw InventoryError.productNotFound(reference: "\(reference)") }
        return product
    }

    /// The live products named by `references`, in one query, optionally locked; `productNotFound`
    /// names the first missing one in the order given.
    static func requireProducts(
        _ connection: GuardedConnection, _ references: [ProductReference], lock: String = "", logger: Logger
    ) async throws -> [ProductReference: Product] {
        let (ids, skus, barcodes) = split(references)
        var bindings = PostgresBindings()
        bindings.append(ids)
        bindings.append(skus)
        bindings.append(barcodes)
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: """
                SELECT * FROM products WHERE deleted_at IS NULL
                    AND (id = ANY($1::INT8[]) OR sku = ANY($2::TEXT[]) OR barcode = ANY($3::TEXT[]))
                ORDER BY id \(lock)
                """, binds: bindings), logger: logger
        ).collectRows(product)
        return try resolve(references, among: rows)
    }

    /// The ids, SKUs and barcodes among `references`, to bind as three arrays.
    static func split(_ references: [ProductReference]) -> (ids: [Int64], skus: [String], barcodes: [String]) {
        var ids: [Int64] = []
        var skus: [String] = []
        var barcodes: [String] = []
        for reference in references {
            switch reference {
            case .id(let id): ids.append(id)
            case .sku(let sku): skus.append(sku.value)
            case .barcode(let barcode): barcodes.append(barcode)
            }
        }
        return (ids, skus, barcodes)
    }

    /// Which of `products` each reference names; `productNotFound` for the first that names none.
    static func resolve(_ references: [ProductReference], among rows: [Product]) throws(InventoryError)
        -> [ProductReference: Product]
    {
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0) })
        let bySKU = Dictionary(uniqueKeysWithValues: rows.map { ($0.sku.value, $0) })
        let byBarcode = Dictionary(rows.compactMap { product in product.barcode.map { ($0, product) } }) { first, _ in first }
        var found: [ProductReference: Product] = [:]
        for reference in references {
            let product: Product? =
                switch reference {
                case .id(let id): byID[id]
                case .sku(let sku): bySKU[sku.value]
                case .barcode(let barcode): byBarcode[barcode]
                }
            guard let product else { throw .productNotFound(reference: "\(reference)") }
            found[reference] = product
        }
        return found
    }

    /// Maps a unique violation on a live SKU or barcode to its domain error.
    static func duplicate(_ error: PSQLError, sku: SKU, barcode: String?) -> any Error {
        guard error.serverInfo?[.sqlState] == "23505" else { return error }
        switch error.serverInfo?[.constraintName] {
        case "products_live_sku": return InventoryError.duplicateSKU(sku)
        case "products_live_barcode": return InventoryError.duplicateBarcode(barcode ?? "")
        default: return error
        }
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}

import Foundation
import InventoryCore
import PostgresNIO

extension PostgresInventoryStorage {
    public func createProduct(_ draft: ProductDraft, by context: ChangeContext) async throws -> Product {
        try await transaction { connection in
            let now = self.now
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
            try await self.appendAudit(connection, .product(.create, before: nil, after: product), context, now: now)
            return product
        }
    }

    public func product(_ reference: ProductReference) async throws -> Product {
        try await access { try await Self.requireProduct($0, reference, logger: self.logger) }
    }

    public func listProducts(_ query: ProductQuery) async throws -> Page<Product> {
        try await access { connection in
            var conditions = PostgresConditions(page: query.page, includeDeleted: query.includeDeleted)
            if let search = query.search {
                let escaped = Self.escapeLike(search)
                conditions.append("(sku LIKE \(escaped.uppercased() + "%") OR name ILIKE \("%" + escaped + "%"))")
            }
            conditions.equal("sku", query.sku?.value)
            conditions.equal("barcode", query.barcode)
            conditions.equal("active", query.active)
            let statement: QueryFragment =
                "SELECT * FROM products \(conditions.whereClause) ORDER BY id LIMIT \(query.page.limit + 1)"
            let rows = try await connection.query(statement.query, logger: self.logger).collectRows(Self.product)
            return Page(fetched: rows, request: query.page, sortKey: \.id)
        }
    }

    public func updateProduct(_ reference: ProductReference, changes: ProductChanges, by context: ChangeContext)
        async throws -> Product
    {
        try await transaction { connection in
            let now = self.now
            let current = try await Self.requireProduct(connection, reference, lock: .update, logger: self.logger)
            let changed = changes.applied(to: current, at: now)
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
                connection, .product(.update, before: current, after: product), context, now: now)
            return product
        }
    }

    public func deleteProduct(_ reference: ProductReference, by context: ChangeContext) async throws {
        try await transaction { connection in
            // FOR UPDATE waits for movements in flight, which hold the product FOR SHARE.
            let now = self.now
            let product = try await Self.requireProduct(connection, reference, lock: .update, logger: self.logger)
            let onHand = try await connection.query(
                "SELECT COALESCE(sum(on_hand), 0)::INT8 FROM stock_levels WHERE product_id = \(product.id)",
                logger: self.logger
            ).collectRows { try $0[0].decode(Int64.self) }[0]
            guard onHand == 0 else {
                throw InventoryError.productHasStock(sku: product.sku.value, onHand: Quantity(thousandths: onHand))
            }
            try await connection.query(
                "UPDATE products SET deleted_at = \(now) WHERE id = \(product.id)", logger: self.logger)
            try await self.appendAudit(connection, .product(.delete, before: product, after: nil), context, now: now)
        }
    }

    /// The live product named by `reference`, optionally locked (`FOR SHARE`, `FOR UPDATE`).
    static func requireProduct(
        _ connection: GuardedConnection, _ reference: ProductReference, lock: RowLock = .none, logger: Logger
    ) async throws -> Product {
        let match: QueryFragment =
            switch reference {
            case .id(let id): "id = \(id)"
            case .sku(let sku): "sku = \(sku.value)"
            case .barcode(let barcode): "barcode = \(barcode)"
            }
        let statement: QueryFragment =
            "SELECT * FROM products WHERE \(match) AND deleted_at IS NULL \(unescaped: lock.clause)"
        let rows = try await connection.query(statement.query, logger: logger).collectRows(product)
        guard let product = rows.first else { throw InventoryError.productNotFound(reference: "\(reference)") }
        return product
    }

    /// The live products named by `references`, in one query, optionally locked; `productNotFound`
    /// names the first missing one in the order given.
    static func requireProducts(
        _ connection: GuardedConnection, _ references: [ProductReference], lock: RowLock = .none, logger: Logger
    ) async throws -> [ProductReference: Product] {
        let (ids, skus, barcodes) = split(references)
        let rows = try await connection.query(
            """
            SELECT * FROM products WHERE deleted_at IS NULL
                AND (id = ANY(\(ids)::INT8[]) OR sku = ANY(\(skus)::TEXT[]) OR barcode = ANY(\(barcodes)::TEXT[]))
            ORDER BY id \(unescaped: lock.clause)
            """, logger: logger
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
        let byBarcode = Dictionary(rows.compactMap { product in product.barcode.map { ($0, product) } }) { first, _ in
            first
        }
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

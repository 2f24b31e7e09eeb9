import Foundation
import InventoryCore
import PostgresNIO

extension PostgresInventoryStorage {
    public func createSupplier(_ draft: SupplierDraft, by context: ChangeContext) async throws -> Supplier {
        try await transaction { connection in
            let now = self.now
            let supplier = try await connection.query(
                """
                INSERT INTO suppliers (name, contact, phone, active, created_at)
                VALUES (\(draft.name), \(draft.contact), \(draft.phone), \(draft.active), \(now))
                RETURNING *
                """, logger: self.logger
            ).collectRows(Self.supplier)[0]
            try await self.appendAudit(connection, .supplier(.create, before: nil, after: supplier), context, now: now)
            return supplier
        }
    }

    public func supplier(id: Int64) async throws -> Supplier {
        try await access { try await Self.requireSupplier($0, id: id, logger: self.logger) }
    }

    public func listSuppliers(_ query: DirectoryQuery) async throws -> Page<Supplier> {
        try await access { connection in
            let conditions = PostgresConditions(page: query.page, includeDeleted: query.includeDeleted)
            let statement: QueryFragment =
                "SELECT * FROM suppliers \(conditions.whereClause) ORDER BY id LIMIT \(query.page.limit + 1)"
            let rows = try await connection.query(statement.query, logger: self.logger).collectRows(Self.supplier)
            return Page(fetched: rows, request: query.page, sortKey: \.id)
        }
    }

    public func updateSupplier(id: Int64, changes: SupplierChanges, by context: ChangeContext) async throws -> Supplier
    {
        try await transaction { connection in
            let current = try await Self.requireSupplier(connection, id: id, lock: .update, logger: self.logger)
            let changed = changes.applied(to: current)
            let supplier = try await connection.query(
                """
                UPDATE suppliers SET name = \(changed.name), contact = \(changed.contact), phone = \(changed.phone),
                    active = \(changed.active)
                WHERE id = \(id) RETURNING *
                """, logger: self.logger
            ).collectRows(Self.supplier)[0]
            try await self.appendAudit(
                connection, .supplier(.update, before: current, after: supplier), context, now: self.now)
            return supplier
        }
    }

    public func deleteSupplier(id: Int64, by context: ChangeContext) async throws {
        try await transaction { connection in
            let now = self.now
            let supplier = try await Self.requireSupplier(connection, id: id, lock: .update, logger: self.logger)
            try await connection.query("UPDATE suppliers SET deleted_at = \(now) WHERE id = \(id)", logger: self.logger)
            try await self.appendAudit(connection, .supplier(.delete, before: supplier, after: nil), context, now: now)
        }
    }

    public func linkSupplier(
        product reference: ProductReference, supplierID: Int64, terms: ProductSupplierTerms, by context: ChangeContext
    ) async throws -> ProductSupplier {
        try await transaction { connection in
            // Locking the product serialises concurrent changes to which supplier is preferred.
            let product = try await Self.requireProduct(connection, reference, lock: .update, logger: self.logger)
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
                connection, .supplierLinked(before: current, after: link), context, now: self.now)
            return link
        }
    }

    private func productSupplier(_ connection: GuardedConnection, productID: Int64, supplierID: Int64) async throws
        -> ProductSupplier?
    {
        try await connection.query(
            """
            SELECT \(unescaped: Self.productSupplierColumns) \(unescaped: Self.productSupplierJoin)
            WHERE l.product_id = \(productID) AND l.supplier_id = \(supplierID)
            """, logger: logger
        ).collectRows(Self.productSupplier).first
    }

    public func unlinkSupplier(product reference: ProductReference, supplierID: Int64, by context: ChangeContext)
        async throws
    {
        try await transaction { connection in
            let product = try await Self.requireProduct(connection, reference, logger: self.logger)
            guard
                let current = try await self.productSupplier(connection, productID: product.id, supplierID: supplierID)
            else { throw InventoryError.supplierLinkNotFound(productID: product.id, supplierID: supplierID) }
            try await connection.query(
                "DELETE FROM product_suppliers WHERE product_id = \(product.id) AND supplier_id = \(supplierID)",
                logger: self.logger)
            try await self.appendAudit(connection, .supplierUnlinked(current), context, now: self.now)
        }
    }

    public func productSuppliers(_ reference: ProductReference) async throws -> [ProductSupplier] {
        try await access { connection in
            let product = try await Self.requireProduct(connection, reference, logger: self.logger)
            return try await connection.query(
                """
                SELECT \(unescaped: Self.productSupplierColumns) \(unescaped: Self.productSupplierJoin)
                WHERE l.product_id = \(product.id) AND s.deleted_at IS NULL ORDER BY l.preferred DESC, l.supplier_id
                """, logger: self.logger
            ).collectRows(Self.productSupplier)
        }
    }

    public func supplierProducts(supplierID: Int64, page: PageRequest) async throws -> Page<ProductSupplier> {
        try await access { connection in
            _ = try await Self.requireSupplier(connection, id: supplierID, logger: self.logger)
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.productSupplierColumns) \(unescaped: Self.productSupplierJoin)
                WHERE l.supplier_id = \(supplierID) AND p.deleted_at IS NULL AND l.product_id > \(page.after ?? 0)
                ORDER BY l.product_id LIMIT \(page.limit + 1)
                """, logger: self.logger
            ).collectRows(Self.productSupplier)
            return Page(fetched: rows, request: page, sortKey: \.productID)
        }
    }
}

extension PostgresInventoryStorage {
    /// The join `productSupplierColumns` reads from.
    static let productSupplierJoin = """
        FROM product_suppliers l JOIN products p ON p.id = l.product_id JOIN suppliers s ON s.id = l.supplier_id
        """
}

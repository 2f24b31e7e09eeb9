import Foundation
import GRDB
import InventoryCore

extension SQLiteInventoryStorage: SeedLoading {
    /// Loads seeded data in one transaction with prepared statements. The chain trigger is dropped
    /// for the load and recreated before commit (the generator builds every chain consistently;
    /// `godown verify` checks it after).
    public func loadSeed(_ generator: SeedGenerator, progress: @Sendable (String) -> Void) async throws {
        let started = ContinuousClock.now
        try await database.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                try Self.load(db, generator, progress: { progress("\($0) (\(ContinuousClock.now - started))") })
                return .commit
            }
        }
    }

    /// Each insert is a cached statement: the same SQL every row, compiled once, the values bound.
    private static func load(_ db: Database, _ generator: SeedGenerator, progress: (String) -> Void) throws {
        let catalog = generator.catalog
        let used = try Int.fetchOne(
            db,
            literal: """
                SELECT (SELECT count(*) FROM products) + (SELECT count(*) FROM movements)
                    + (SELECT count(*) FROM stores WHERE id > 1)
                """)
        guard used == 0 else {
            throw InventoryError.invalidField(name: "database", reason: "seed needs an empty database")
        }
        for city in catalog.cities {
            try db.execute(
                literal: """
                    INSERT INTO cities (id, name, state, created_at)
                    VALUES (\(city.id), \(city.name), \(city.state), \(city.createdAt.unixMilliseconds))
                    """)
        }
        let first = catalog.stores[0]
        try db.execute(
            literal: """
                UPDATE stores SET code = \(first.code), name = \(first.name), city_id = \(first.cityID),
                    address = \(first.address)
                WHERE id = 1
                """)
        for row in catalog.stores.dropFirst() {
            try db.cachedStatement(
                literal: """
                    INSERT INTO stores (id, code, name, city_id, address, created_at)
                    VALUES (\(row.id), \(row.code), \(row.name), \(row.cityID), \(row.address), \(row.createdAt.unixMilliseconds))
                    """
            ).execute()
        }
        for supplier in catalog.suppliers {
            try db.execute(
                literal: """
                    INSERT INTO suppliers (id, name, contact, phone, created_at)
                    VALUES (\(supplier.id), \(supplier.name), \(supplier.contact), \(supplier.phone),
                        \(supplier.createdAt.unixMilliseconds))
                    """)
        }
        for row in catalog.products {
            try db.cachedStatement(
                literal: """
                    INSERT INTO products (id, sku, name, unit, barcode, sale_price, created_at, updated_at)
                    VALUES (\(row.id), \(row.sku.value), \(row.name), \(row.unit.rawValue), \(row.barcode),
                        \(row.salePrice?.paise), \(row.createdAt.unixMilliseconds), \(row.updatedAt.unixMilliseconds))
                    """
            ).execute()
        }
        for row in catalog.links {
            try db.cachedStatement(
                literal: """
                    INSERT INTO product_suppliers (product_id, supplier_id, supplier_sku, cost_price, lead_time_days, preferred)
                    VALUES (\(row.productID), \(row.supplierID), \(row.supplierSKU), \(row.costPrice.paise),
                        \(row.leadTimeDays), \(row.preferred))
                    """
            ).execute()
        }
        for transfer in catalog.transfers {
            try db.execute(
                literal: """
                    INSERT INTO transfers (id, from_store_id, to_store_id, note, created_at)
                    VALUES (\(transfer.id), \(transfer.fromStoreID), \(transfer.toStoreID), 'weekly transfer',
                        \(transfer.createdAt.unixMilliseconds))
                    """)
        }
        progress(
            "catalog: \(catalog.cities.count) cities, \(catalog.stores.count) stores, \(catalog.suppliers.count) suppliers, "
                + "\(catalog.products.count) products")

        try db.execute(literal: "DROP TRIGGER movements_continue_chain")
        var movements = generator.makeMovements()
        while let row = movements.next() {
            try db.cachedStatement(
                literal: """
                    INSERT INTO movements (id, store_id, product_id, kind, delta, balance_after, reason, supplier_id,
                        unit_cost, unit_price, occurred_at, recorded_at, transfer_id)
                    VALUES (\(row.id), \(row.storeID), \(row.productID), \(row.kind.rawValue), \(row.delta), \(row.balanceAfter),
                        \(row.reason), \(row.supplierID), \(row.unitCost), \(row.unitPrice), \(row.occurredAtMilliseconds),
                        \(row.occurredAtMilliseconds), \(row.transferID))
                    """
            ).execute()
            if movements.count % 1_000_000 == 0 { progress("movements: \(movements.count)") }
        }
        try db.execute(sql: SQLiteSchema.chainTrigger)
        progress("movements: \(movements.count) in all")
        var levels = 0
        for row in generator.stockLevels(after: movements) {
            try db.cachedStatement(
                literal: """
                    INSERT INTO stock_levels (store_id, product_id, on_hand, reorder_level)
                    VALUES (\(row.storeID), \(row.productID), \(row.onHand), \(row.reorderLevel))
                    """
            ).execute()
            levels += 1
        }
        progress("stock levels: \(levels) in all")
    }
}

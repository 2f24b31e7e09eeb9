import Foundation
import GRDB
import InventoryCore

/// Decoding of rows into domain values. Product columns may carry a prefix when joined.
extension SQLiteInventoryStorage {
    /// The product columns under `p_` names, for queries that join products.
    static let productColumns: SQL = """
        p.id AS p_id, p.sku AS p_sku, p.name AS p_name, p.unit AS p_unit, p.barcode AS p_barcode,
        p.sale_price AS p_sale_price, p.active AS p_active, p.created_at AS p_created_at,
        p.updated_at AS p_updated_at
        """

    static func product(_ row: Row, prefix: String = "") -> Product {
        Product(
            id: row[prefix + "id"],
            // The schema's CHECK and the write path only ever store valid SKUs and units.
            sku: try! SKU(row[prefix + "sku"] as String),
            name: row[prefix + "name"],
            unit: ProductUnit(rawValue: row[prefix + "unit"])!,
            barcode: row[prefix + "barcode"],
            salePrice: (row[prefix + "sale_price"] as Int64?).map(Money.init(paise:)),
            active: row[prefix + "active"],
            createdAt: Date(unixMilliseconds: row[prefix + "created_at"]),
            updatedAt: Date(unixMilliseconds: row[prefix + "updated_at"]))
    }

    static func store(_ row: Row) -> Store {
        Store(
            id: row["id"], code: row["code"], name: row["name"], cityID: row["city_id"], address: row["address"],
            active: row["active"], createdAt: Date(unixMilliseconds: row["created_at"]),
            deletedAt: (row["deleted_at"] as Int64?).map(Date.init(unixMilliseconds:)))
    }

    static func supplier(_ row: Row) -> Supplier {
        Supplier(
            id: row["id"], name: row["name"], contact: row["contact"], phone: row["phone"], active: row["active"],
            createdAt: Date(unixMilliseconds: row["created_at"]),
            deletedAt: (row["deleted_at"] as Int64?).map(Date.init(unixMilliseconds:)))
    }

    static func city(_ row: Row) -> City {
        City(
            id: row["id"], name: row["name"], state: row["state"], createdAt: Date(unixMilliseconds: row["created_at"]),
            deletedAt: (row["deleted_at"] as Int64?).map(Date.init(unixMilliseconds:)))
    }

    /// The columns `productSupplier` reads, for a join of product_suppliers `l`, products `p`, suppliers `s`.
    static let productSupplierColumns: SQL = """
        l.product_id, p.sku, p.name AS product_name, l.supplier_id, s.name AS supplier_name, l.supplier_sku,
        l.cost_price, l.lead_time_days, l.preferred
        """

    static func productSupplier(_ row: Row) -> ProductSupplier {
        ProductSupplier(
            productID: row["product_id"], sku: try! SKU(row["sku"] as String), productName: row["product_name"],
            supplierID: row["supplier_id"], supplierName: row["supplier_name"], supplierSKU: row["supplier_sku"],
            costPrice: (row["cost_price"] as Int64?).map(Money.init(paise:)), leadTimeDays: row["lead_time_days"],
            preferred: row["preferred"])
    }

    static func movement(_ row: Row) -> Movement {
        Movement(
            id: row["id"], storeID: row["store_id"], productID: row["product_id"],
            sku: try! SKU(row["sku"] as String),
            kind: MovementKind(rawValue: row["kind"])!,
            delta: Quantity(thousandths: row["delta"]),
            balanceAfter: Quantity(thousandths: row["balance_after"]),
            reason: row["reason"], supplierID: row["supplier_id"],
            unitCost: (row["unit_cost"] as Int64?).map(Money.init(paise:)),
            unitPrice: (row["unit_price"] as Int64?).map(Money.init(paise:)),
            note: row["note"],
            occurredAt: Date(unixMilliseconds: row["occurred_at"]),
            recordedAt: Date(unixMilliseconds: row["recorded_at"]),
            idempotencyKey: (row["idempotency_key"] as String?).map { IdempotencyClaim.clientKey(stored: $0) },
            transferID: row["transfer_id"],
            recordedBy: Identity(
                kind: Identity.Kind(rawValue: row["actor_kind"]) ?? .system, id: row["actor_id"],
                name: row["actor_name"]))
    }

    static func stockLevel(_ row: Row, storeID: Int64) -> StockLevel {
        StockLevel(
            storeID: storeID, product: product(row, prefix: "p_"),
            onHand: Quantity(thousandths: row["on_hand"] ?? 0),
            reorderLevel: (row["reorder_level"] as Int64?).map(Quantity.init(thousandths:)))
    }
}

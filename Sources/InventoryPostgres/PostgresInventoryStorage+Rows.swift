import Foundation
import InventoryCore
import PostgresNIO

/// Decoding of rows into domain values. Product columns may carry a prefix when joined.
extension PostgresInventoryStorage {
    static let productColumns = """
        p.id AS p_id, p.sku AS p_sku, p.name AS p_name, p.unit AS p_unit, p.barcode AS p_barcode,
        p.sale_price AS p_sale_price, p.active AS p_active, p.created_at AS p_created_at,
        p.updated_at AS p_updated_at
        """

    static func product(_ row: PostgresRandomAccessRow) throws -> Product {
        try product(row, prefix: "")
    }

    static func product(_ row: PostgresRandomAccessRow, prefix: String) throws -> Product {
        Product(
            id: try row[prefix + "id"].decode(Int64.self),
            // The schema's CHECKs and the write path only ever store valid SKUs and units.
            sku: try! SKU(try row[prefix + "sku"].decode(String.self)),
            name: try row[prefix + "name"].decode(String.self),
            unit: ProductUnit(rawValue: try row[prefix + "unit"].decode(String.self))!,
            barcode: try row[prefix + "barcode"].decode(String?.self),
            salePrice: try row[prefix + "sale_price"].decode(Int64?.self).map(Money.init(paise:)),
            active: try row[prefix + "active"].decode(Bool.self),
            createdAt: try timestamp(row[prefix + "created_at"]),
            updatedAt: try timestamp(row[prefix + "updated_at"]))
    }

    static func store(_ row: PostgresRandomAccessRow) throws -> Store {
        Store(
            id: try row["id"].decode(Int64.self), code: try row["code"].decode(String.self),
            name: try row["name"].decode(String.self), cityID: try row["city_id"].decode(Int64?.self),
            address: try row["address"].decode(String?.self), active: try row["active"].decode(Bool.self),
            createdAt: try timestamp(row["created_at"]), deletedAt: try optionalTimestamp(row["deleted_at"]))
    }

    static func supplier(_ row: PostgresRandomAccessRow) throws -> Supplier {
        Supplier(
            id: try row["id"].decode(Int64.self), name: try row["name"].decode(String.self),
            contact: try row["contact"].decode(String?.self), phone: try row["phone"].decode(String?.self),
            active: try row["active"].decode(Bool.self), createdAt: try timestamp(row["created_at"]),
            deletedAt: try optionalTimestamp(row["deleted_at"]))
    }

    static func city(_ row: PostgresRandomAccessRow) throws -> City {
        City(
            id: try row["id"].decode(Int64.self), name: try row["name"].decode(String.self),
            state: try row["state"].decode(String?.self), createdAt: try timestamp(row["created_at"]),
            deletedAt: try optionalTimestamp(row["deleted_at"]))
    }

    /// The columns `productSupplier` reads, for a join of product_suppliers `l`, products `p`, suppliers `s`.
    static let productSupplierColumns = """
        l.product_id, p.sku, p.name AS product_name, l.supplier_id, s.name AS supplier_name, l.supplier_sku,
        l.cost_price, l.lead_time_days, l.preferred
        """

    static func productSupplier(_ row: PostgresRandomAccessRow) throws -> ProductSupplier {
        ProductSupplier(
            productID: try row["product_id"].decode(Int64.self), sku: try! SKU(try row["sku"].decode(String.self)),
            productName: try row["product_name"].decode(String.self),
            supplierID: try row["supplier_id"].decode(Int64.self),
            supplierName: try row["supplier_name"].decode(String.self),
            supplierSKU: try row["supplier_sku"].decode(String?.self),
            costPrice: try row["cost_price"].decode(Int64?.self).map(Money.init(paise:)),
            leadTimeDays: try row["lead_time_days"].decode(Int32?.self).map(Int.init),
            preferred: try row["preferred"].decode(Bool.self))
    }

    static func movement(_ row: PostgresRandomAccessRow) throws -> Movement {
        Movement(
            id: try row["id"].decode(Int64.self), storeID: try row["store_id"].decode(Int64.self),
            productID: try row["product_id"].decode(Int64.self),
            sku: try! SKU(try row["sku"].decode(String.self)),
            kind: MovementKind(rawValue: try row["kind"].decode(String.self))!,
            delta: Quantity(thousandths: try row["delta"].decode(Int64.self)),
            balanceAfter: Quantity(thousandths: try row["balance_after"].decode(Int64.self)),
            reason: try row["reason"].decode(String?.self), supplierID: try row["supplier_id"].decode(Int64?.self),
            unitCost: try row["unit_cost"].decode(Int64?.self).map(Money.init(paise:)),
            unitPrice: try row["unit_price"].decode(Int64?.self).map(Money.init(paise:)),
            note: try row["note"].decode(String?.self),
            occurredAt: try timestamp(row["occurred_at"]),
            recordedAt: try timestamp(row["recorded_at"]),
            idempotencyKey: try row["idempotency_key"].decode(String?.self).map {
                IdempotencyClaim.clientKey(stored: $0)
            },
            transferID: try row["transfer_id"].decode(Int64?.self),
            recordedBy: Identity(
                kind: Identity.Kind(rawValue: try row["actor_kind"].decode(String.self)) ?? .system,
                id: try row["actor_id"].decode(Int64?.self), name: try row["actor_name"].decode(String.self)))
    }

    static func stockLevel(_ row: PostgresRandomAccessRow, storeID: Int64) throws -> StockLevel {
        StockLevel(
            storeID: storeID, product: try product(row, prefix: "p_"),
            onHand: Quantity(thousandths: try row["on_hand"].decode(Int64?.self) ?? 0),
            reorderLevel: try row["reorder_level"].decode(Int64?.self).map(Quantity.init(thousandths:)))
    }
}

/// Reads a `timestamptz` at the millisecond precision Godown stores.
func timestamp(_ cell: PostgresCell) throws -> Date {
    try cell.decode(Date.self).truncatedToMilliseconds
}

func optionalTimestamp(_ cell: PostgresCell) throws -> Date? {
    try cell.decode(Date?.self)?.truncatedToMilliseconds
}

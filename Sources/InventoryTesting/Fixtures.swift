import Foundation
import InventoryCore

/// Small builders that keep contract checks readable.
public enum Fixtures {
    public static let storeID: Int64 = 1

    public static func draft(
        _ sku: String, unit: ProductUnit = .piece, barcode: String? = nil, price: String? = nil
    ) throws -> ProductDraft {
        try ProductDraft(
            sku: SKU(sku), name: "Product \(sku)", unit: unit, barcode: barcode,
            salePrice: price.map { try Money(parsing: $0, field: "sale_price") })
    }

    public static func command(
        _ sku: String, _ kind: MovementKind, _ quantity: String, reason: String? = nil, supplierID: Int64? = nil,
        unitCost: String? = nil, note: String? = nil, occurredAt: Date? = nil
    ) throws -> MovementCommand {
        try MovementCommand(
            product: .sku(SKU(sku)), kind: kind, quantity: Quantity(parsing: quantity), reason: reason,
            supplierID: supplierID, unitCost: unitCost.map { try Money(parsing: $0, field: "unit_cost") }, note: note,
            occurredAt: occurredAt)
    }

    public static func batch(_ commands: [MovementCommand], key: String? = nil, hash: String = "hash")
        throws -> MovementBatch
    {
        try MovementBatch(
            storeID: storeID, commands: commands,
            idempotency: key.map { try IdempotencyClaim(key: $0, requestHash: hash) })
    }

    public static func quantity(_ text: String) -> Quantity {
        try! Quantity(parsing: text)
    }
}

extension LedgerWriter {
    /// Records one movement in the default store and returns it.
    @discardableResult
    public func record(_ command: MovementCommand) async throws -> Movement {
        try await recordMovements(Fixtures.batch([command])).movements[0]
    }
}

extension LedgerReader {
    /// The default store's on-hand of `sku`.
    public func onHand(_ sku: String) async throws -> Quantity {
        try await stockLevel(storeID: Fixtures.storeID, product: .sku(SKU(sku))).onHand
    }

    /// Every movement of the default store, newest first.
    public func allMovements() async throws -> [Movement] {
        try await movements(
            MovementQuery(scope: .all, storeID: Fixtures.storeID, page: PageRequest(limit: Limits.pageSizeMax))
        ).items
    }
}

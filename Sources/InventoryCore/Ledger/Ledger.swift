import Foundation

/// The ledger rules: how a movement changes on-hand, and when it must be refused.
///
/// Pure functions: every backend reads the current on-hand under its own lock, asks `posting`
/// for the delta and the new balance, and writes both.
public enum Ledger {
    /// The change one movement makes.
    public struct Posting: Sendable, Hashable {
        public var delta: Quantity
        public var balanceAfter: Quantity
        /// The unit price to record: the one given, or for a sale the product's current price.
        public var unitPrice: Money?
        public var occurredAt: Date
    }

    /// Computes the posting of `command` for `product` in store `storeID`, which holds `onHand`.
    public static func posting(
        _ command: MovementCommand, product: Product, storeID: Int64, onHand: Quantity, now: Date
    ) throws(InventoryError) -> Posting {
        if product.unit.requiresWholeQuantities, !command.quantity.isWhole {
            throw .invalidField(
                name: "quantity",
                reason:
                    "\(product.sku) is counted in \(product.unit.rawValue)s: use a whole number, not \(command.quantity)"
            )
        }
        let occurredAt = (command.occurredAt ?? now).truncatedToMilliseconds
        if occurredAt > now.addingTimeInterval(TimeInterval(Limits.occurredAtFutureSkewMax.components.seconds)) {
            throw .invalidField(name: "occurred_at", reason: "lies too far in the future")
        }
        let delta =
            switch command.kind {
            case .stockIn, .transferIn: command.quantity
            case .sale, .removal, .transferOut: -command.quantity
            case .adjustment: command.quantity
            case .count: command.quantity - onHand
            }
        let balanceAfter = onHand + delta
        if balanceAfter < .zero {
            throw .insufficientStock(sku: product.sku.value, storeID: storeID, requested: -delta, available: onHand)
        }
        let limit = Quantity(units: Limits.onHandUnitsMax)
        if balanceAfter > limit {
            throw .stockLimitExceeded(sku: product.sku.value, storeID: storeID, limit: limit)
        }
        let unitPrice = command.kind == .sale ? (command.unitPrice ?? product.salePrice) : command.unitPrice
        return Posting(delta: delta, balanceAfter: balanceAfter, unitPrice: unitPrice, occurredAt: occurredAt)
    }

    /// Checks a reorder level for `product`: zero or more, and whole for pieces and packs.
    public static func validatedReorderLevel(_ level: Quantity, product: Product) throws(InventoryError) -> Quantity {
        guard level >= .zero else { throw .invalidField(name: "reorder_level", reason: "must be zero or more") }
        guard level.isWhole || !product.unit.requiresWholeQuantities else {
            throw .invalidField(
                name: "reorder_level", reason: "\(product.sku) is counted in whole \(product.unit.rawValue)s")
        }
        return level
    }
}

/// How much of one product one store holds.
public struct StockLevel: Sendable, Hashable, Encodable {
    public var storeID: Int64
    public var product: Product
    public var onHand: Quantity
    /// At or below this on-hand the product is low on stock; nil when no level is set.
    public var reorderLevel: Quantity?

    public init(storeID: Int64, product: Product, onHand: Quantity, reorderLevel: Quantity?) {
        self.storeID = storeID
        self.product = product
        self.onHand = onHand
        self.reorderLevel = reorderLevel
    }

    /// True when a reorder level is set and on-hand has fallen to it or below.
    public var isLow: Bool {
        guard let reorderLevel else { return false }
        return onHand <= reorderLevel
    }
}

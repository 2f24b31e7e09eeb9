/// What a movement does to stock.
public enum MovementKind: String, Sendable, CaseIterable, Codable {
    /// Goods received, usually from a supplier (+).
    case stockIn = "stock_in"
    /// Goods sold to a customer (−).
    case sale
    /// Goods taken out of stock for a reason: damaged, expired, lost, theft, other (−).
    case removal
    /// A signed correction with a reason.
    case adjustment
    /// A physical count: the quantity is the new on-hand and the ledger computes the difference.
    case count
    /// Goods leaving a store in a transfer (−); recorded only through a transfer.
    case transferOut = "transfer_out"
    /// Goods arriving at a store in a transfer (+); recorded only through a transfer.
    case transferIn = "transfer_in"

    /// The kinds a client may record directly; transfers have their own request.
    public static let recordable: [MovementKind] = [.stockIn, .sale, .removal, .adjustment, .count]

    public init(parsing text: String) throws(InventoryError) {
        guard let kind = MovementKind(rawValue: text.trimmingWhitespace().lowercased()) else {
            let allowed = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidField(name: "kind", reason: "must be one of \(allowed)")
        }
        self = kind
    }
}

/// Why goods were removed from stock.
public enum RemovalReason: String, Sendable, CaseIterable {
    case damaged, expired, lost, theft, other
}

import Foundation

/// A validated request for one movement, before it meets the stock it changes.
///
/// The initializer holds the rules that depend on the request alone (which fields each kind
/// takes, the sign of the quantity); `Ledger.posting` holds those that need the product and
/// its current on-hand.
public struct MovementCommand: Sendable, Hashable {
    public var product: ProductReference
    public var kind: MovementKind
    /// Positive for stock-in, sale and removal; signed and non-zero for an adjustment;
    /// the new absolute on-hand (zero or more) for a count.
    public var quantity: Quantity
    public var reason: String?
    public var supplierID: Int64?
    public var unitCost: Money?
    public var unitPrice: Money?
    public var note: String?
    /// When the movement happened in the shop, if the client says; otherwise when it was recorded.
    public var occurredAt: Date?

    public init(
        product: ProductReference, kind: MovementKind, quantity: Quantity, reason: String? = nil,
        supplierID: Int64? = nil, unitCost: Money? = nil, unitPrice: Money? = nil, note: String? = nil,
        occurredAt: Date? = nil
    ) throws(InventoryError) {
        self.product = product
        self.kind = kind
        self.quantity = quantity
        self.reason = try Self.validatedReason(reason, kind: kind)
        self.supplierID = supplierID
        self.unitCost = unitCost
        self.unitPrice = unitPrice
        self.note = try TextRule.optional(note, field: "note", lengthMax: Limits.noteLengthMax)
        self.occurredAt = occurredAt
        try checkQuantitySign()
        try checkFieldsAllowed()
    }

    private static func validatedReason(_ reason: String?, kind: MovementKind) throws(InventoryError) -> String? {
        let text = try TextRule.optional(reason, field: "reason", lengthMax: Limits.noteLengthMax)
        switch kind {
        case .stockIn, .sale, .transferOut, .transferIn:
            guard text == nil else {
                throw .invalidField(name: "reason", reason: "applies only to removal, adjustment and count; use note")
            }
            return nil
        case .removal:
            let allowed = RemovalReason.allCases.map(\.rawValue)
            guard let text, let reason = RemovalReason(rawValue: text.lowercased()) else {
                throw .invalidField(
                    name: "reason", reason: "a removal needs a reason: one of \(allowed.joined(separator: ", "))")
            }
            return reason.rawValue
        case .adjustment:
            guard let text else { throw .invalidField(name: "reason", reason: "an adjustment needs a reason") }
            return text
        case .count:
            return text
        }
    }

    private func checkQuantitySign() throws(InventoryError) {
        switch kind {
        case .stockIn, .sale, .removal, .transferOut, .transferIn:
            guard quantity > .zero else { throw .invalidField(name: "quantity", reason: "must be greater than zero") }
        case .adjustment:
            guard quantity != .zero else { throw .invalidField(name: "quantity", reason: "must not be zero") }
        case .count:
            guard quantity >= .zero else {
                throw .invalidField(name: "quantity", reason: "a count is the quantity on the shelf: zero or more")
            }
        }
    }

    private func checkFieldsAllowed() throws(InventoryError) {
        if supplierID != nil, kind != .stockIn {
            throw .invalidField(name: "supplier_id", reason: "applies only to stock_in")
        }
        if unitCost != nil, kind != .stockIn {
            throw .invalidField(name: "unit_cost", reason: "applies only to stock_in")
        }
        if unitPrice != nil, kind != .sale {
            throw .invalidField(name: "unit_price", reason: "applies only to sale")
        }
    }

    /// A deterministic text of every field, for fingerprinting a request under an idempotency key.
    public var canonicalText: String {
        let fields: [String?] = [
            "\(product)", kind.rawValue, "\(quantity)", reason, supplierID.map(String.init),
            unitCost?.description, unitPrice?.description, note,
            occurredAt.map { String($0.timeIntervalSince1970) },
        ]
        return fields.map { String(reflecting: $0 ?? "") }.joined(separator: ",")
    }
}

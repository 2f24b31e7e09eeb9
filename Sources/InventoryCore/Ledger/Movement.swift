import Foundation

/// One row of the append-only stock ledger.
public struct Movement: Sendable, Hashable, Identifiable, Encodable {
    public var id: Int64
    public var storeID: Int64
    public var productID: Int64
    public var sku: SKU
    public var kind: MovementKind
    /// The signed change of on-hand.
    public var delta: Quantity
    /// On-hand of this product in this store right after this movement.
    public var balanceAfter: Quantity
    public var reason: String?
    public var supplierID: Int64?
    public var unitCost: Money?
    public var unitPrice: Money?
    public var note: String?
    public var occurredAt: Date
    public var recordedAt: Date
    public var idempotencyKey: String?
    /// The transfer this movement is one side of.
    public var transferID: Int64?
    /// The user, API key or command line that recorded it.
    public var recordedBy: Identity

    public init(
        id: Int64, storeID: Int64, productID: Int64, sku: SKU, kind: MovementKind, delta: Quantity,
        balanceAfter: Quantity, reason: String?, supplierID: Int64?, unitCost: Money?, unitPrice: Money?,
        note: String?, occurredAt: Date, recordedAt: Date, idempotencyKey: String?, transferID: Int64? = nil,
        recordedBy: Identity = Identity(kind: .system, id: nil, name: "system")
    ) {
        self.id = id
        self.storeID = storeID
        self.productID = productID
        self.sku = sku
        self.kind = kind
        self.delta = delta
        self.balanceAfter = balanceAfter
        self.reason = reason
        self.supplierID = supplierID
        self.unitCost = unitCost
        self.unitPrice = unitPrice
        self.note = note
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.idempotencyKey = idempotencyKey
        self.transferID = transferID
        self.recordedBy = recordedBy
    }
}

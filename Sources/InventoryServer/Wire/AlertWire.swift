import Hummingbird
import InventoryCore

/// A low-stock alert as the API shows it.
public struct AlertWire: ResponseCodable, Sendable, Equatable {
    public var id: Int64
    public var storeID: Int64
    public var productID: Int64
    public var sku: String
    public var state: String
    public var reorderLevel: String
    public var onHand: String
    public var raisedAt: String
    public var acknowledgedAt: String?
    public var acknowledgedBy: Identity?
    public var resolvedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, sku, state
        case storeID = "store_id"
        case productID = "product_id"
        case reorderLevel = "reorder_level"
        case onHand = "on_hand"
        case raisedAt = "raised_at"
        case acknowledgedAt = "acknowledged_at"
        case acknowledgedBy = "acknowledged_by"
        case resolvedAt = "resolved_at"
    }

    public init(_ alert: Alert) {
        id = alert.id
        storeID = alert.storeID
        productID = alert.productID
        sku = alert.sku.value
        state = alert.state.rawValue
        reorderLevel = alert.reorderLevel.description
        onHand = alert.onHand.description
        raisedAt = WireCoding.formatTime(alert.raisedAt)
        acknowledgedAt = alert.acknowledgedAt.map(WireCoding.formatTime)
        acknowledgedBy = alert.acknowledgedBy
        resolvedAt = alert.resolvedAt.map(WireCoding.formatTime)
    }
}

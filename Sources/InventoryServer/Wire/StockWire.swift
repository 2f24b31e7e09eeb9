import Hummingbird
import InventoryCore

/// One product's stock in one store as the API shows it.
public struct StockLevelWire: ResponseCodable, Sendable, Equatable {
    public var storeID: Int64
    public var productID: Int64
    public var sku: String
    public var name: String
    public var unit: String
    public var onHand: String
    public var reorderLevel: String?
    public var lowStock: Bool

    enum CodingKeys: String, CodingKey {
        case sku, name, unit
        case storeID = "store_id"
        case productID = "product_id"
        case onHand = "on_hand"
        case reorderLevel = "reorder_level"
        case lowStock = "low_stock"
    }

    public init(_ level: StockLevel) {
        storeID = level.storeID
        productID = level.product.id
        sku = level.product.sku.value
        name = level.product.name
        unit = level.product.unit.rawValue
        onHand = level.onHand.description
        reorderLevel = level.reorderLevel?.description
        lowStock = level.isLow
    }
}

/// The body of `PUT .../reorder-level`: a quantity, or `null` to clear the level.
struct ReorderLevelBody: Decodable {
    var reorderLevel: DecimalText?

    enum CodingKeys: String, CodingKey {
        case reorderLevel = "reorder_level"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.contains(.reorderLevel) else {
            throw DecodingError.keyNotFound(
                CodingKeys.reorderLevel, .init(codingPath: [], debugDescription: "reorder_level is required"))
        }
        reorderLevel = try container.decodeIfPresent(DecimalText.self, forKey: .reorderLevel)
    }
}

/// The answer of `GET /health`.
struct HealthWire: ResponseCodable {
    var status: String
    var database: String
}

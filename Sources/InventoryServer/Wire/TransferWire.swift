import Hummingbird
import InventoryCore

/// A transfer as the API shows it, with the two movements of each line.
public struct TransferWire: ResponseCodable, Sendable, Equatable {
    public struct Line: Codable, Sendable, Equatable {
        public var productID: Int64
        public var sku: String
        public var quantity: String
        public var outMovementID: Int64
        public var inMovementID: Int64

        enum CodingKeys: String, CodingKey {
            case sku, quantity
            case productID = "product_id"
            case outMovementID = "out_movement_id"
            case inMovementID = "in_movement_id"
        }
    }

    public var id: Int64
    public var fromStoreID: Int64
    public var toStoreID: Int64
    public var note: String?
    public var createdAt: String
    public var lines: [Line]

    enum CodingKeys: String, CodingKey {
        case id, note, lines
        case fromStoreID = "from_store_id"
        case toStoreID = "to_store_id"
        case createdAt = "created_at"
    }

    public init(_ transfer: Transfer) {
        id = transfer.id
        fromStoreID = transfer.fromStoreID
        toStoreID = transfer.toStoreID
        note = transfer.note
        createdAt = WireCoding.formatTime(transfer.createdAt)
        lines = transfer.lines.map {
            Line(
                productID: $0.productID, sku: $0.sku.value, quantity: $0.quantity.description,
                outMovementID: $0.outMovementID, inMovementID: $0.inMovementID)
        }
    }
}

/// The body of `POST /v1/transfers`.
struct TransferBody: Decodable {
    struct Line: Decodable {
        var sku: String?
        var productID: Int64?
        var quantity: DecimalText

        enum CodingKeys: String, CodingKey {
            case sku, quantity
            case productID = "product_id"
        }
    }

    var fromStoreID: Int64
    var toStoreID: Int64
    var lines: [Line]
    var note: String?

    enum CodingKeys: String, CodingKey {
        case lines, note
        case fromStoreID = "from_store_id"
        case toStoreID = "to_store_id"
    }

    func request() throws(InventoryError) -> TransferRequest {
        var parsed: [TransferRequest.Line] = []
        for (index, line) in lines.enumerated() {
            do throws(InventoryError) {
                let product: ProductReference
                switch (line.sku, line.productID) {
                case (let sku?, nil): product = .sku(try SKU(sku))
                case (nil, let id?): product = .id(id)
                default:
                    throw InventoryError.invalidField(name: "sku", reason: "give exactly one of sku and product_id")
                }
                parsed.append(
                    try TransferRequest.Line(product: product, quantity: line.quantity.quantity(field: "quantity")))
            } catch {
                throw error.prefixingField("lines[\(index)]")
            }
        }
        return try TransferRequest(fromStoreID: fromStoreID, toStoreID: toStoreID, lines: parsed, note: note)
    }
}

import Foundation
import Hummingbird
import InventoryCore

/// A ledger movement as the API shows it.
public struct MovementWire: ResponseCodable, Sendable, Equatable {
    public var id: Int64
    public var storeID: Int64
    public var productID: Int64
    public var sku: String
    public var kind: String
    public var delta: String
    public var balanceAfter: String
    public var reason: String?
    public var supplierID: Int64?
    public var unitCost: String?
    public var unitPrice: String?
    public var note: String?
    public var occurredAt: String
    public var recordedAt: String
    public var idempotencyKey: String?
    public var transferID: Int64?
    /// Who recorded it: a user, an API key, or the command line.
    public var recordedBy: Identity

    enum CodingKeys: String, CodingKey {
        case id, sku, kind, delta, reason, note
        case recordedBy = "recorded_by"
        case storeID = "store_id"
        case productID = "product_id"
        case balanceAfter = "balance_after"
        case supplierID = "supplier_id"
        case unitCost = "unit_cost"
        case unitPrice = "unit_price"
        case occurredAt = "occurred_at"
        case recordedAt = "recorded_at"
        case idempotencyKey = "idempotency_key"
        case transferID = "transfer_id"
    }

    public init(_ movement: Movement) {
        id = movement.id
        storeID = movement.storeID
        productID = movement.productID
        sku = movement.sku.value
        kind = movement.kind.rawValue
        delta = movement.delta.description
        balanceAfter = movement.balanceAfter.description
        reason = movement.reason
        supplierID = movement.supplierID
        unitCost = movement.unitCost?.description
        unitPrice = movement.unitPrice?.description
        note = movement.note
        occurredAt = WireCoding.formatTime(movement.occurredAt)
        recordedAt = WireCoding.formatTime(movement.recordedAt)
        idempotencyKey = movement.idempotencyKey
        transferID = movement.transferID
        recordedBy = movement.recordedBy
    }
}

/// The answer to a batch: the stored movements in request order.
public struct MovementBatchWire: ResponseCodable, Sendable, Equatable {
    public var movements: [MovementWire]
}

/// One movement in a request body.
struct MovementBody: Decodable, Sendable {
    var sku: String?
    var productID: Int64?
    var kind: String
    var quantity: DecimalText
    var reason: String?
    var supplierID: Int64?
    var unitCost: DecimalText?
    var unitPrice: DecimalText?
    var note: String?
    var occurredAt: String?

    enum CodingKeys: String, CodingKey {
        case sku, kind, quantity, reason, note
        case productID = "product_id"
        case supplierID = "supplier_id"
        case unitCost = "unit_cost"
        case unitPrice = "unit_price"
        case occurredAt = "occurred_at"
    }

    /// The validated command; errors name fields under `prefix` (such as `movements[2]`).
    func command(fieldPrefix prefix: String?) throws(InventoryError) -> MovementCommand {
        do throws(InventoryError) {
            let product: ProductReference
            switch (sku, productID) {
            case (let sku?, nil): product = .sku(try SKU(sku))
            case (nil, let id?): product = .id(id)
            default: throw InventoryError.invalidField(name: "sku", reason: "give exactly one of sku and product_id")
            }
            return try MovementCommand(
                product: product, kind: MovementKind(parsing: kind), quantity: quantity.quantity(field: "quantity"),
                reason: reason, supplierID: supplierID, unitCost: unitCost?.money(field: "unit_cost"),
                unitPrice: unitPrice?.money(field: "unit_price"), note: note,
                occurredAt: occurredAt.map { text throws(InventoryError) in
                    try WireCoding.parseTime(text, field: "occurred_at")
                })
        } catch {
            throw prefix.map { error.prefixingField($0) } ?? error
        }
    }
}

/// The body of `POST /v1/stores/{store_id}/movements`: one movement, or `{"movements": [...]}`.
enum MovementsBody: Decodable, Sendable {
    case single(MovementBody)
    case batch([MovementBody])

    enum BatchKeys: String, CodingKey {
        case movements
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: BatchKeys.self)
        if container.contains(.movements) {
            self = .batch(try container.decode([MovementBody].self, forKey: .movements))
        } else {
            self = .single(try MovementBody(from: decoder))
        }
    }

    func commands() throws(InventoryError) -> [MovementCommand] {
        switch self {
        case .single(let body):
            return [try body.command(fieldPrefix: nil)]
        case .batch(let bodies):
            guard bodies.count <= Limits.batchSizeMax else {
                throw .invalidField(name: "movements", reason: "must hold at most \(Limits.batchSizeMax) movements")
            }
            var commands: [MovementCommand] = []
            for (index, body) in bodies.enumerated() {
                commands.append(try body.command(fieldPrefix: "movements[\(index)]"))
            }
            return commands
        }
    }
}

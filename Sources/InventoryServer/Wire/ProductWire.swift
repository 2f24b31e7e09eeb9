import Hummingbird
import InventoryCore

/// A product as the API shows it.
public struct ProductWire: ResponseCodable, Sendable, Equatable {
    public var id: Int64
    public var sku: String
    public var name: String
    public var unit: String
    public var barcode: String?
    public var salePrice: String?
    public var active: Bool
    public var createdAt: String
    public var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case id, sku, name, unit, barcode, active
        case salePrice = "sale_price"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(_ product: Product) {
        id = product.id
        sku = product.sku.value
        name = product.name
        unit = product.unit.rawValue
        barcode = product.barcode
        salePrice = product.salePrice?.description
        active = product.active
        createdAt = WireCoding.formatTime(product.createdAt)
        updatedAt = WireCoding.formatTime(product.updatedAt)
    }
}

/// The body of `POST /v1/products`.
struct ProductCreateBody: Decodable {
    var sku: String
    var name: String
    var unit: String
    var barcode: String?
    var salePrice: DecimalText?
    var active: Bool?

    enum CodingKeys: String, CodingKey {
        case sku, name, unit, barcode, active
        case salePrice = "sale_price"
    }

    func draft() throws(InventoryError) -> ProductDraft {
        try ProductDraft(
            sku: SKU(sku), name: name, unit: ProductUnit(parsing: unit), barcode: barcode,
            salePrice: salePrice?.money(field: "sale_price"), active: active ?? true)
    }
}

/// The body of `PATCH /v1/products/{product}`: absent fields stay, `null` clears barcode and sale price.
struct ProductPatchBody: Decodable {
    var sku: String?
    var name: String?
    var unit: String?
    var barcode: String??
    var salePrice: DecimalText??
    var active: Bool?

    typealias CodingKeys = ProductCreateBody.CodingKeys

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sku = try container.decodeIfPresent(String.self, forKey: .sku)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        unit = try container.decodeIfPresent(String.self, forKey: .unit)
        active = try container.decodeIfPresent(Bool.self, forKey: .active)
        if container.contains(.barcode) {
            barcode = .some(try container.decodeNil(forKey: .barcode) ? nil : container.decode(String.self, forKey: .barcode))
        }
        if container.contains(.salePrice) {
            salePrice = .some(
                try container.decodeNil(forKey: .salePrice) ? nil : container.decode(DecimalText.self, forKey: .salePrice))
        }
    }

    func changes() throws(InventoryError) -> ProductChanges {
        let price: Money?? =
            switch salePrice {
            case .some(.some(let text)): .some(try text.money(field: "sale_price"))
            case .some(.none): .some(nil)
            case .none: nil
            }
        return try ProductChanges(
            sku: sku.map { text throws(InventoryError) in try SKU(text) },
            name: name,
            unit: unit.map { text throws(InventoryError) in try ProductUnit(parsing: text) },
            barcode: barcode, salePrice: price, active: active)
    }
}

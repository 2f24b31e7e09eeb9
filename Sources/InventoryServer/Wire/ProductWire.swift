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
        sku = try container.decodeUnlessNull(String.self, forKey: .sku)
        name = try container.decodeUnlessNull(String.self, forKey: .name)
        unit = try container.decodeUnlessNull(String.self, forKey: .unit)
        active = try container.decodeUnlessNull(Bool.self, forKey: .active)
        barcode = try container.decodeNullable(String.self, forKey: .barcode)
        salePrice = try container.decodeNullable(DecimalText.self, forKey: .salePrice)
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

/// What one supplier offers for one product, as the API shows it.
public struct ProductSupplierWire: ResponseCodable, Sendable, Equatable {
    public var productID: Int64
    public var sku: String
    public var productName: String
    public var supplierID: Int64
    public var supplierName: String
    public var supplierSKU: String?
    public var costPrice: String?
    public var leadTimeDays: Int?
    public var preferred: Bool

    enum CodingKeys: String, CodingKey {
        case sku, preferred
        case productID = "product_id"
        case productName = "product_name"
        case supplierID = "supplier_id"
        case supplierName = "supplier_name"
        case supplierSKU = "supplier_sku"
        case costPrice = "cost_price"
        case leadTimeDays = "lead_time_days"
    }

    public init(_ link: ProductSupplier) {
        productID = link.productID
        sku = link.sku.value
        productName = link.productName
        supplierID = link.supplierID
        supplierName = link.supplierName
        supplierSKU = link.supplierSKU
        costPrice = link.costPrice?.description
        leadTimeDays = link.leadTimeDays
        preferred = link.preferred
    }
}

/// The body of `PUT /v1/products/{product}/suppliers/{supplier_id}`.
struct ProductSupplierBody: Decodable {
    var supplierSKU: String?
    var costPrice: DecimalText?
    var leadTimeDays: Int?
    var preferred: Bool?

    enum CodingKeys: String, CodingKey {
        case preferred
        case supplierSKU = "supplier_sku"
        case costPrice = "cost_price"
        case leadTimeDays = "lead_time_days"
    }

    func terms() throws(InventoryError) -> ProductSupplierTerms {
        try ProductSupplierTerms(
            supplierSKU: supplierSKU, costPrice: costPrice?.money(field: "cost_price"), leadTimeDays: leadTimeDays,
            preferred: preferred ?? false)
    }
}

import Foundation

/// A product of the central catalog.
public struct Product: Sendable, Hashable, Identifiable, Encodable {
    public var id: Int64
    public var sku: SKU
    public var name: String
    public var unit: ProductUnit
    public var barcode: String?
    public var salePrice: Money?
    public var active: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, sku: SKU, name: String, unit: ProductUnit, barcode: String?, salePrice: Money?, active: Bool,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.sku = sku
        self.name = name
        self.unit = unit
        self.barcode = barcode
        self.salePrice = salePrice
        self.active = active
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A validated request to add a product to the catalog.
public struct ProductDraft: Sendable, Hashable {
    public var sku: SKU
    public var name: String
    public var unit: ProductUnit
    public var barcode: String?
    public var salePrice: Money?
    public var active: Bool

    public init(
        sku: SKU, name: String, unit: ProductUnit, barcode: String? = nil, salePrice: Money? = nil, active: Bool = true
    ) throws(InventoryError) {
        self.sku = sku
        self.name = try TextRule.required(name, field: "name", lengthMax: Limits.nameLengthMax)
        self.unit = unit
        self.barcode = try barcode.map { text throws(InventoryError) in try Barcode.validated(text) }
        self.salePrice = salePrice
        self.active = active
    }
}

/// A validated partial update of a product; nil leaves a field as it is.
///
/// `barcode` and `salePrice` are double optionals: `.some(nil)` clears the field.
public struct ProductChanges: Sendable, Hashable {
    public var sku: SKU?
    public var name: String?
    public var unit: ProductUnit?
    public var barcode: String??
    public var salePrice: Money??
    public var active: Bool?

    public init(
        sku: SKU? = nil, name: String? = nil, unit: ProductUnit? = nil, barcode: String?? = nil,
        salePrice: Money?? = nil, active: Bool? = nil
    ) throws(InventoryError) {
        self.sku = sku
        self.name = try name.map { text throws(InventoryError) in
            try TextRule.required(text, field: "name", lengthMax: Limits.nameLengthMax)
        }
        self.unit = unit
        switch barcode {
        case .some(.some(let text)): self.barcode = .some(try Barcode.validated(text))
        case .some(.none): self.barcode = .some(nil)
        case .none: self.barcode = nil
        }
        self.salePrice = salePrice
        self.active = active
    }

    /// The product with these changes applied.
    public func applied(to product: Product, at now: Date) -> Product {
        var changed = product
        if let sku { changed.sku = sku }
        if let name { changed.name = name }
        if let unit { changed.unit = unit }
        if let barcode { changed.barcode = barcode }
        if let salePrice { changed.salePrice = salePrice }
        if let active { changed.active = active }
        changed.updatedAt = now
        return changed
    }
}

import Foundation

/// Filters for listing the catalog, ordered by product id.
public struct ProductQuery: Sendable, Hashable {
    /// Matches a SKU prefix or any part of the name, ignoring case.
    public var search: String?
    public var sku: SKU?
    public var barcode: String?
    public var active: Bool?
    public var includeDeleted: Bool
    public var page: PageRequest

    public init(
        search: String? = nil, sku: SKU? = nil, barcode: String? = nil, active: Bool? = nil,
        includeDeleted: Bool = false, page: PageRequest
    ) throws(InventoryError) {
        self.search = try TextRule.optional(search, field: "q", lengthMax: Limits.searchTextLengthMax)
        self.sku = sku
        self.barcode = try barcode.map { text throws(InventoryError) in try Barcode.validated(text) }
        self.active = active
        self.includeDeleted = includeDeleted
        self.page = page
    }
}

/// Filters for one store's stock, ordered by product id.
public struct StockQuery: Sendable, Hashable {
    public var storeID: Int64
    /// Only products at or below their reorder level.
    public var lowStockOnly: Bool
    /// The stock book as it stood at this instant: each product's last balance recorded at or before it.
    public var asOf: Date?
    public var page: PageRequest

    public init(storeID: Int64, lowStockOnly: Bool = false, asOf: Date? = nil, page: PageRequest) {
        self.storeID = storeID
        self.lowStockOnly = lowStockOnly
        self.asOf = asOf
        self.page = page
    }
}

/// Filters for the movement history, newest first.
public struct MovementQuery: Sendable, Hashable {
    public var storeID: Int64?
    /// Movements of the stores in this city.
    public var cityID: Int64?
    public var product: ProductReference?
    public var kind: MovementKind?
    /// The stores the caller may see; the history silently leaves out the others.
    public let scope: StoreScope
    public var supplierID: Int64?
    /// Movements that occurred at or after this instant.
    public var from: Date?
    /// Movements that occurred before this instant.
    public var to: Date?
    public var page: PageRequest

    public init(
        scope: StoreScope, storeID: Int64? = nil, cityID: Int64? = nil, product: ProductReference? = nil,
        kind: MovementKind? = nil, supplierID: Int64? = nil, from: Date? = nil, to: Date? = nil, page: PageRequest
    ) throws(InventoryError) {
        if let from, let to, from >= to {
            throw .invalidField(name: "to", reason: "must be later than from")
        }
        self.scope = scope
        self.storeID = storeID
        self.cityID = cityID
        self.product = product
        self.kind = kind
        self.supplierID = supplierID
        self.from = from
        self.to = to
        self.page = page
    }
}

/// Filters for listing cities or suppliers, ordered by id.
public struct DirectoryQuery: Sendable, Hashable {
    public var includeDeleted: Bool
    public var page: PageRequest

    public init(includeDeleted: Bool = false, page: PageRequest) {
        self.includeDeleted = includeDeleted
        self.page = page
    }
}

/// Filters for listing stores, ordered by id.
public struct StoreQuery: Sendable, Hashable {
    /// The stores the caller may see; the listing silently leaves out the others.
    public let scope: StoreScope
    public var cityID: Int64?
    public var active: Bool?
    public var includeDeleted: Bool
    public var page: PageRequest

    public init(
        scope: StoreScope, cityID: Int64? = nil, active: Bool? = nil, includeDeleted: Bool = false, page: PageRequest
    ) {
        self.scope = scope
        self.cityID = cityID
        self.active = active
        self.includeDeleted = includeDeleted
        self.page = page
    }
}

/// One product's stock in every live store the caller may see, by store id.
public struct ProductStockQuery: Sendable, Hashable {
    public var product: ProductReference
    /// The stores the caller may see; the listing silently leaves out the others.
    public let scope: StoreScope
    public var page: PageRequest

    public init(product: ProductReference, scope: StoreScope, page: PageRequest) {
        self.product = product
        self.scope = scope
        self.page = page
    }
}

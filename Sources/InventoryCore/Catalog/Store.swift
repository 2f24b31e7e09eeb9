import Foundation

/// A shop that holds stock. The first start creates the default store, id 1, code MAIN.
public struct Store: Sendable, Hashable, Identifiable, Encodable {
    public var id: Int64
    public var code: String
    public var name: String
    public var cityID: Int64?
    public var address: String?
    /// An inactive store (closed for now) still answers reads and records movements.
    public var active: Bool
    public var createdAt: Date
    public var deletedAt: Date?

    public init(
        id: Int64, code: String, name: String, cityID: Int64? = nil, address: String? = nil, active: Bool = true,
        createdAt: Date, deletedAt: Date? = nil
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.cityID = cityID
        self.address = address
        self.active = active
        self.createdAt = createdAt
        self.deletedAt = deletedAt
    }
}

/// A validated store to add.
public struct StoreDraft: Sendable, Hashable {
    public var code: String
    public var name: String
    public var cityID: Int64?
    public var address: String?
    public var active: Bool

    public init(code: String, name: String, cityID: Int64?, address: String?, active: Bool = true)
        throws(InventoryError)
    {
        self.code = try SKU.code(code, field: "code", lengthMax: Limits.storeCodeLengthMax)
        self.name = try TextRule.required(name, field: "name", lengthMax: Limits.nameLengthMax)
        self.cityID = cityID
        self.address = try TextRule.optional(address, field: "address", lengthMax: Limits.addressLengthMax)
        self.active = active
    }
}

/// A validated partial update of a store; `cityID` and `address` are double optionals.
public struct StoreChanges: Sendable, Hashable {
    public var name: String?
    public var cityID: Int64??
    public var address: String??
    public var active: Bool?

    public init(name: String? = nil, cityID: Int64?? = nil, address: String?? = nil, active: Bool? = nil)
        throws(InventoryError)
    {
        self.name = try name.map { text throws(InventoryError) in
            try TextRule.required(text, field: "name", lengthMax: Limits.nameLengthMax)
        }
        self.cityID = cityID
        self.address = try address.map { text throws(InventoryError) in
            try TextRule.optional(text, field: "address", lengthMax: Limits.addressLengthMax)
        }
        self.active = active
    }

    public func applied(to store: Store) -> Store {
        var changed = store
        if let name { changed.name = name }
        if let cityID { changed.cityID = cityID }
        if let address { changed.address = address }
        if let active { changed.active = active }
        return changed
    }
}

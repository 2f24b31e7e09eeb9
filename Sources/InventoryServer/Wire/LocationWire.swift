import Hummingbird
import InventoryCore

/// A city as the API shows it.
public struct CityWire: ResponseCodable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var state: String?
    public var createdAt: String
    public var deletedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, name, state
        case createdAt = "created_at"
        case deletedAt = "deleted_at"
    }

    public init(_ city: City) {
        id = city.id
        name = city.name
        state = city.state
        createdAt = WireCoding.formatTime(city.createdAt)
        deletedAt = city.deletedAt.map(WireCoding.formatTime)
    }
}

/// A store as the API shows it.
public struct StoreWire: ResponseCodable, Sendable, Equatable {
    public var id: Int64
    public var code: String
    public var name: String
    public var cityID: Int64?
    public var address: String?
    public var active: Bool
    public var createdAt: String
    public var deletedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, code, name, address, active
        case cityID = "city_id"
        case createdAt = "created_at"
        case deletedAt = "deleted_at"
    }

    public init(_ store: Store) {
        id = store.id
        code = store.code
        name = store.name
        cityID = store.cityID
        address = store.address
        active = store.active
        createdAt = WireCoding.formatTime(store.createdAt)
        deletedAt = store.deletedAt.map(WireCoding.formatTime)
    }
}

/// A supplier as the API shows it.
public struct SupplierWire: ResponseCodable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var contact: String?
    public var phone: String?
    public var active: Bool
    public var createdAt: String
    public var deletedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, name, contact, phone, active
        case createdAt = "created_at"
        case deletedAt = "deleted_at"
    }

    public init(_ supplier: Supplier) {
        id = supplier.id
        name = supplier.name
        contact = supplier.contact
        phone = supplier.phone
        active = supplier.active
        createdAt = WireCoding.formatTime(supplier.createdAt)
        deletedAt = supplier.deletedAt.map(WireCoding.formatTime)
    }
}

/// The bodies of `POST /v1/cities` and `PATCH /v1/cities/{city_id}` (null clears `state`).
struct CityBody: Decodable {
    var name: String?
    var state: String??

    enum CodingKeys: String, CodingKey {
        case name, state
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeUnlessNull(String.self, forKey: .name)
        state = try container.decodeNullable(String.self, forKey: .state)
    }

    func draft() throws(InventoryError) -> CityDraft {
        guard let name else { throw .invalidField(name: "name", reason: "is required") }
        return try CityDraft(name: name, state: state ?? nil)
    }

    func changes() throws(InventoryError) -> CityChanges {
        try CityChanges(name: name, state: state)
    }
}

/// The bodies of `POST /v1/stores` and `PATCH /v1/stores/{store_id}` (null clears `city_id`, `address`).
struct StoreBody: Decodable {
    var code: String?
    var name: String?
    var cityID: Int64??
    var address: String??
    var active: Bool?

    enum CodingKeys: String, CodingKey {
        case code, name, address, active
        case cityID = "city_id"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decodeUnlessNull(String.self, forKey: .code)
        name = try container.decodeUnlessNull(String.self, forKey: .name)
        cityID = try container.decodeNullable(Int64.self, forKey: .cityID)
        address = try container.decodeNullable(String.self, forKey: .address)
        active = try container.decodeUnlessNull(Bool.self, forKey: .active)
    }

    func draft() throws(InventoryError) -> StoreDraft {
        guard let code else { throw .invalidField(name: "code", reason: "is required") }
        guard let name else { throw .invalidField(name: "name", reason: "is required") }
        return try StoreDraft(
            code: code, name: name, cityID: cityID ?? nil, address: address ?? nil, active: active ?? true)
    }

    func changes() throws(InventoryError) -> StoreChanges {
        guard code == nil else { throw .invalidField(name: "code", reason: "a store's code cannot change") }
        return try StoreChanges(name: name, cityID: cityID, address: address, active: active)
    }
}

/// The bodies of `POST /v1/suppliers` and `PATCH /v1/suppliers/{supplier_id}` (null clears `contact`, `phone`).
struct SupplierBody: Decodable {
    var name: String?
    var contact: String??
    var phone: String??
    var active: Bool?

    enum CodingKeys: String, CodingKey {
        case name, contact, phone, active
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeUnlessNull(String.self, forKey: .name)
        contact = try container.decodeNullable(String.self, forKey: .contact)
        phone = try container.decodeNullable(String.self, forKey: .phone)
        active = try container.decodeUnlessNull(Bool.self, forKey: .active)
    }

    func draft() throws(InventoryError) -> SupplierDraft {
        guard let name else { throw .invalidField(name: "name", reason: "is required") }
        return try SupplierDraft(name: name, contact: contact ?? nil, phone: phone ?? nil, active: active ?? true)
    }

    func changes() throws(InventoryError) -> SupplierChanges {
        try SupplierChanges(name: name, contact: contact, phone: phone, active: active)
    }
}

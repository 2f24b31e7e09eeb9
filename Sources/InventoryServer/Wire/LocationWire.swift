import Hummingbird
import InventoryCore

/// A store as the API shows it.
public struct StoreWire: ResponseCodable, Sendable, Equatable {
    public var id: Int64
    public var code: String
    public var name: String
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, code, name
        case createdAt = "created_at"
    }

    public init(_ store: Store) {
        id = store.id
        code = store.code
        name = store.name
        createdAt = WireCoding.formatTime(store.createdAt)
    }
}

/// A supplier as the API shows it.
public struct SupplierWire: ResponseCodable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var phone: String?
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, name, phone
        case createdAt = "created_at"
    }

    public init(_ supplier: Supplier) {
        id = supplier.id
        name = supplier.name
        phone = supplier.phone
        createdAt = WireCoding.formatTime(supplier.createdAt)
    }
}

/// The body of `POST /v1/suppliers`.
struct SupplierCreateBody: Decodable {
    var name: String
    var phone: String?

    func draft() throws(InventoryError) -> SupplierDraft {
        try SupplierDraft(name: name, phone: phone)
    }
}

import Foundation

/// A wholesaler or distributor that delivers stock.
public struct Supplier: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var name: String
    public var phone: String?
    public var createdAt: Date

    public init(id: Int64, name: String, phone: String?, createdAt: Date) {
        self.id = id
        self.name = name
        self.phone = phone
        self.createdAt = createdAt
    }
}

/// A validated request to add a supplier.
public struct SupplierDraft: Sendable, Hashable {
    public var name: String
    public var phone: String?

    public init(name: String, phone: String?) throws(InventoryError) {
        self.name = try TextRule.required(name, field: "name", lengthMax: Limits.nameLengthMax)
        self.phone = try TextRule.optional(phone, field: "phone", lengthMax: Limits.phoneLengthMax)
        if let phone = self.phone,
            !phone.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || "+- ()".unicodeScalars.contains($0) })
        {
            throw .invalidField(name: "phone", reason: "may hold only digits, spaces and + - ( )")
        }
    }
}

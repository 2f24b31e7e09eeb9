import Foundation

/// A wholesaler or distributor that delivers stock.
public struct Supplier: Sendable, Hashable, Identifiable, Encodable {
    public var id: Int64
    public var name: String
    /// The person to call.
    public var contact: String?
    public var phone: String?
    public var active: Bool
    public var createdAt: Date
    public var deletedAt: Date?

    public init(
        id: Int64, name: String, contact: String? = nil, phone: String?, active: Bool = true, createdAt: Date,
        deletedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.contact = contact
        self.phone = phone
        self.active = active
        self.createdAt = createdAt
        self.deletedAt = deletedAt
    }
}

/// A validated supplier to add.
public struct SupplierDraft: Sendable, Hashable {
    public var name: String
    public var contact: String?
    public var phone: String?
    public var active: Bool

    public init(name: String, contact: String? = nil, phone: String?, active: Bool = true) throws(InventoryError) {
        self.name = try TextRule.required(name, field: "name", lengthMax: Limits.nameLengthMax)
        self.contact = try TextRule.optional(contact, field: "contact", lengthMax: Limits.nameLengthMax)
        self.phone = try Self.validatedPhone(phone)
        self.active = active
    }

    static func validatedPhone(_ text: String?) throws(InventoryError) -> String? {
        let phone = try TextRule.optional(text, field: "phone", lengthMax: Limits.phoneLengthMax)
        if let phone,
            !phone.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || "+- ()".unicodeScalars.contains($0) })
        {
            throw .invalidField(name: "phone", reason: "may hold only digits, spaces and + - ( )")
        }
        return phone
    }
}

/// A validated partial update of a supplier; `contact` and `phone` are double optionals.
public struct SupplierChanges: Sendable, Hashable {
    public var name: String?
    public var contact: String??
    public var phone: String??
    public var active: Bool?

    public init(name: String? = nil, contact: String?? = nil, phone: String?? = nil, active: Bool? = nil)
        throws(InventoryError)
    {
        self.name = try name.map { text throws(InventoryError) in
            try TextRule.required(text, field: "name", lengthMax: Limits.nameLengthMax)
        }
        self.contact = try contact.map { text throws(InventoryError) in
            try TextRule.optional(text, field: "contact", lengthMax: Limits.nameLengthMax)
        }
        self.phone = try phone.map { text throws(InventoryError) in try SupplierDraft.validatedPhone(text) }
        self.active = active
    }

    public func applied(to supplier: Supplier) -> Supplier {
        var changed = supplier
        if let name { changed.name = name }
        if let contact { changed.contact = contact }
        if let phone { changed.phone = phone }
        if let active { changed.active = active }
        return changed
    }
}

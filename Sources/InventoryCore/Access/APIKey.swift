import Foundation

/// A key for a point-of-sale device or an integration: a role and stores, like a user, without a password.
/// Only a hash of the secret is stored; the secret is shown once, when the key is made.
public struct APIKey: Sendable, Hashable, Identifiable, Codable {
    public var id: Int64
    public var name: String
    public var role: Role
    public var storeIDs: [Int64]
    /// The first characters of the secret, to tell keys apart in listings.
    public var prefix: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(
        id: Int64, name: String, role: Role, storeIDs: [Int64], prefix: String, createdAt: Date, revokedAt: Date?
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.storeIDs = storeIDs
        self.prefix = prefix
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    public var principal: Principal {
        Principal(identity: Identity(kind: .apiKey, id: id, name: name), role: role, storeIDs: Set(storeIDs))
    }
}

/// A new API key: its checked name, role and stores, and the hash of its secret.
public struct APIKeyDraft: Sendable, Hashable {
    public var name: String
    public var role: Role
    public var storeIDs: [Int64]
    public var prefix: String
    public var secretHash: String

    public init(name: String, role: Role, storeIDs: [Int64], prefix: String, secretHash: String)
        throws(InventoryError)
    {
        self.name = try TextRule.required(name, field: "name", lengthMax: Limits.nameLengthMax)
        self.role = role
        self.storeIDs = try User.validatedStores(storeIDs, role: role)
        self.prefix = prefix
        self.secretHash = secretHash
    }
}

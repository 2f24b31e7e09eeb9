import Hummingbird
import InventoryCore

/// A user as the API shows it (never with a password hash).
public struct UserWire: ResponseCodable, Sendable, Equatable {
    public var id: Int64
    public var username: String
    public var role: String
    public var storeIDs: [Int64]
    public var active: Bool
    public var createdAt: String
    public var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case id, username, role, active
        case storeIDs = "store_ids"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(_ user: User) {
        id = user.id
        username = user.username
        role = user.role.rawValue
        storeIDs = user.storeIDs
        active = user.active
        createdAt = WireCoding.formatTime(user.createdAt)
        updatedAt = WireCoding.formatTime(user.updatedAt)
    }
}

/// The caller as `GET /v1/me` shows them.
public struct MeWire: ResponseCodable, Sendable, Equatable {
    public var kind: String
    public var id: Int64?
    public var name: String
    public var role: String
    /// The stores a manager or clerk acts on; null for roles that cover every store.
    public var storeIDs: [Int64]?

    enum CodingKeys: String, CodingKey {
        case kind, id, name, role
        case storeIDs = "store_ids"
    }

    init(_ principal: Principal) {
        kind = principal.identity.kind.rawValue
        id = principal.identity.id
        name = principal.identity.name
        role = principal.role.rawValue
        storeIDs = principal.scope.storeIDs
    }
}

/// An API key as listings show it: never the secret.
public struct APIKeyWire: ResponseCodable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var role: String
    public var storeIDs: [Int64]
    public var prefix: String
    public var createdAt: String
    public var revokedAt: String?
    /// The secret, present only in the answer that created the key.
    public var key: String?

    enum CodingKeys: String, CodingKey {
        case id, name, role, prefix, key
        case storeIDs = "store_ids"
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
    }

    public init(_ apiKey: APIKey, secret: String? = nil) {
        id = apiKey.id
        name = apiKey.name
        role = apiKey.role.rawValue
        storeIDs = apiKey.storeIDs
        prefix = apiKey.prefix
        createdAt = WireCoding.formatTime(apiKey.createdAt)
        revokedAt = apiKey.revokedAt.map(WireCoding.formatTime)
        key = secret
    }
}

/// What logging in or refreshing answers.
public struct TokensWire: ResponseCodable, Sendable, Equatable {
    public var accessToken: String
    public var refreshToken: String
    public var tokenType: String
    public var expiresIn: Int

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
    }

    init(_ tokens: IssuedTokens) {
        accessToken = tokens.accessToken
        refreshToken = tokens.refreshToken
        tokenType = "Bearer"
        expiresIn = tokens.expiresIn
    }
}

struct LoginBody: Decodable {
    var username: String
    var password: String
}

struct RefreshBody: Decodable {
    var refreshToken: String

    enum CodingKeys: String, CodingKey {
        case refreshToken = "refresh_token"
    }
}

struct UserCreateBody: Decodable {
    var username: String
    var password: String
    var role: Role
    var storeIDs: [Int64]?

    enum CodingKeys: String, CodingKey {
        case username, password, role
        case storeIDs = "store_ids"
    }
}

struct UserPatchBody: Decodable {
    var role: Role?
    var storeIDs: [Int64]?
    var active: Bool?
    var password: String?

    enum CodingKeys: String, CodingKey {
        case role, active, password
        case storeIDs = "store_ids"
    }
}

struct APIKeyCreateBody: Decodable {
    var name: String
    var role: Role
    var storeIDs: [Int64]?

    enum CodingKeys: String, CodingKey {
        case name, role
        case storeIDs = "store_ids"
    }
}

/// One audit entry as `GET /v1/audit` shows it.
public struct AuditEntryWire: ResponseCodable, Sendable, Equatable {
    public var id: Int64
    public var chain: Int64
    public var sequence: Int64
    public var recordedAt: String
    public var actorKind: String
    public var actorID: Int64?
    public var actor: String
    public var role: String?
    public var action: String
    public var entityType: String
    public var entityID: String
    /// The entity before and after the change, as JSON text exactly as hashed.
    public var before: String?
    public var after: String?
    public var requestID: String?
    public var clientAddress: String?
    public var previousHash: String
    public var hash: String

    enum CodingKeys: String, CodingKey {
        case id, chain, sequence, actor, role, action, before, after, hash
        case recordedAt = "recorded_at"
        case actorKind = "actor_kind"
        case actorID = "actor_id"
        case entityType = "entity_type"
        case entityID = "entity_id"
        case requestID = "request_id"
        case clientAddress = "client_address"
        case previousHash = "previous_hash"
    }

    init(_ entry: AuditEntry) {
        id = entry.id
        chain = entry.chain
        sequence = entry.sequence
        recordedAt = WireCoding.formatTime(entry.recordedAt)
        actorKind = entry.context.actor.kind.rawValue
        actorID = entry.context.actor.id
        actor = entry.context.actor.name
        role = entry.context.role?.rawValue
        action = entry.record.action
        entityType = entry.record.entityType
        entityID = entry.record.entityID
        before = entry.record.before
        after = entry.record.after
        requestID = entry.context.requestID
        clientAddress = entry.context.clientAddress
        previousHash = entry.previousHash
        hash = entry.hash
    }

    static func csv(_ entries: [AuditEntryWire]) -> CSVTable {
        CSVTable(
            headers: [
                "id", "recorded_at", "actor_kind", "actor_id", "actor", "role", "action", "entity_type", "entity_id",
                "before", "after", "request_id", "client_address", "chain", "sequence", "previous_hash", "hash",
            ],
            rows: entries.map { entry in
                [
                    String(entry.id), entry.recordedAt, entry.actorKind, entry.actorID.map { String($0) } ?? "",
                    entry.actor, entry.role ?? "", entry.action, entry.entityType, entry.entityID, entry.before ?? "",
                    entry.after ?? "", entry.requestID ?? "", entry.clientAddress ?? "", String(entry.chain),
                    String(entry.sequence), entry.previousHash, entry.hash,
                ]
            })
    }
}

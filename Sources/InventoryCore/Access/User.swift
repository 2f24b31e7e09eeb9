import Foundation

/// A person who signs in. The password hash never leaves the storage and authentication code.
public struct User: Sendable, Hashable, Identifiable, Codable {
    public var id: Int64
    public var username: String
    public var role: Role
    public var storeIDs: [Int64]
    public var active: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, username: String, role: Role, storeIDs: [Int64], active: Bool, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.username = username
        self.role = role
        self.storeIDs = storeIDs
        self.active = active
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var principal: Principal {
        Principal(identity: Identity(kind: .user, id: id, name: username), role: role, storeIDs: Set(storeIDs))
    }

    /// Trims and checks a username: 3 to 64 of `a-z 0-9 . _ -`, lower-cased, so "Asha" and "asha" are one user.
    public static func validatedUsername(_ text: String) throws(InventoryError) -> String {
        let username = text.trimmingWhitespace().lowercased()
        guard (3...Limits.usernameLengthMax).contains(username.count),
            username.unicodeScalars.allSatisfy({ "abcdefghijklmnopqrstuvwxyz0123456789._-".unicodeScalars.contains($0) }
            )
        else {
            throw .invalidField(
                name: "username", reason: "must be 3 to \(Limits.usernameLengthMax) of a-z, 0-9, '.', '_', '-'")
        }
        return username
    }

    /// Checks a new password: 8 to 72 bytes (bcrypt reads at most 72) and no control characters.
    /// bcrypt stops at a NUL byte, so "abc\u{0}defgh" would be stored as "abc" and pass the length
    /// check while three characters unlock it; other control characters cannot be typed at a login
    /// form either.
    public static func validatePassword(_ password: String) throws(InventoryError) {
        guard password.count >= Limits.passwordLengthMin, password.utf8.count <= Limits.passwordBytesMax else {
            throw .invalidField(
                name: "password",
                reason: "must be \(Limits.passwordLengthMin) to \(Limits.passwordBytesMax) bytes long")
        }
        guard !password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidField(
                name: "password", reason: "must not contain control characters (such as NUL or a newline)")
        }
    }

    /// Managers and clerks need at least one store; admins and auditors take none.
    public static func validatedStores(_ storeIDs: [Int64], role: Role) throws(InventoryError) -> [Int64] {
        let stores = Array(Set(storeIDs)).sorted()
        guard stores.count <= Limits.assignedStoresMax else {
            throw .invalidField(name: "store_ids", reason: "must hold at most \(Limits.assignedStoresMax) stores")
        }
        if role.isStoreScoped, stores.isEmpty {
            throw .invalidField(name: "store_ids", reason: "a \(role.rawValue) needs at least one store")
        }
        if !role.isStoreScoped, !stores.isEmpty {
            throw .invalidField(name: "store_ids", reason: "an \(role.rawValue) acts on every store; give none")
        }
        return stores
    }
}

/// A new user, with the bcrypt hash of the password (hashing is the server's job, not the storage's).
public struct UserDraft: Sendable, Hashable {
    public var username: String
    public var passwordHash: String
    public var role: Role
    public var storeIDs: [Int64]

    public init(username: String, passwordHash: String, role: Role, storeIDs: [Int64]) throws(InventoryError) {
        self.username = try User.validatedUsername(username)
        self.passwordHash = passwordHash
        self.role = role
        self.storeIDs = try User.validatedStores(storeIDs, role: role)
    }
}

/// Changes to a user; nil leaves a field as it is.
public struct UserChanges: Sendable, Hashable {
    public var role: Role?
    public var storeIDs: [Int64]?
    public var active: Bool?
    public var passwordHash: String?

    public init(role: Role? = nil, storeIDs: [Int64]? = nil, active: Bool? = nil, passwordHash: String? = nil) {
        self.role = role
        self.storeIDs = storeIDs
        self.active = active
        self.passwordHash = passwordHash
    }

    /// `user` with these changes, after checking that role and stores still agree.
    public func applied(to user: User, at now: Date) throws(InventoryError) -> User {
        var changed = user
        changed.role = role ?? user.role
        // Becoming an admin or auditor drops the store assignment; a scoped role keeps it unless given new ones.
        let stores = storeIDs ?? (changed.role.isStoreScoped ? user.storeIDs : [])
        changed.storeIDs = try User.validatedStores(stores, role: changed.role)
        changed.active = active ?? user.active
        // Strictly later than the last change, even within one millisecond: the time of a user's last
        // change is the version their tokens carry, and any change must end the tokens issued before it.
        changed.updatedAt = max(now, user.updatedAt.addingTimeInterval(0.001))
        return changed
    }
}

/// What the storage holds to check a password: the user and their bcrypt hash.
public struct StoredCredential: Sendable, Hashable {
    public var user: User
    public var passwordHash: String

    public init(user: User, passwordHash: String) {
        self.user = user
        self.passwordHash = passwordHash
    }
}

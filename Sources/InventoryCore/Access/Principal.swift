/// Who is acting, as the ledger and the audit log record it.
public struct Identity: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case user
        case apiKey = "api_key"
        /// The command line on the server's own machine, or the system itself (bootstrap, seed).
        case system
        /// Someone who did not prove who they are (a failed login).
        case anonymous
    }

    public var kind: Kind
    /// The user's or key's id; nil for the system and anonymous callers.
    public var id: Int64?
    /// The username, key name, or a description such as "cli:root".
    public var name: String

    public init(kind: Kind, id: Int64?, name: String) {
        self.kind = kind
        self.id = id
        self.name = name
    }

    /// The command line run by `operatingSystemUser` on the server's machine.
    public static func commandLine(_ operatingSystemUser: String) -> Identity {
        Identity(kind: .system, id: nil, name: "cli:\(operatingSystemUser)")
    }
}

/// An authenticated caller: who they are, their role and the stores they may act on.
public struct Principal: Sendable, Hashable {
    public var identity: Identity
    public var role: Role
    /// The stores assigned to a manager or clerk; ignored for admins and auditors.
    public var storeIDs: Set<Int64>

    public init(identity: Identity, role: Role, storeIDs: Set<Int64>) {
        self.identity = identity
        self.role = role
        self.storeIDs = storeIDs
    }

    /// The stores this caller's listings and reports cover.
    public var scope: StoreScope { role.isStoreScoped ? .stores(storeIDs) : .all }

    /// True when this caller may act on `storeID`.
    public func covers(storeID: Int64) -> Bool { !role.isStoreScoped || storeIDs.contains(storeID) }
}

/// The stores a listing or report covers.
public enum StoreScope: Sendable, Hashable {
    case all
    case stores(Set<Int64>)

    /// The store ids, sorted, or nil for every store.
    public var storeIDs: [Int64]? {
        switch self {
        case .all: nil
        case .stores(let ids): ids.sorted()
        }
    }
}

/// What a user or API key may do. Managers and clerks act only at the stores assigned to them.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    /// Everything, at every store.
    case admin
    /// Stock operations, reorder levels, transfers and reports at their stores; reads the catalog.
    case manager
    /// Sales, stock-ins, removals and counts at their stores; reads those stores' stock and the catalog.
    case clerk
    /// Reads everything, including the audit log; changes nothing.
    case auditor

    /// True when this role is limited to the stores assigned to it.
    public var isStoreScoped: Bool { self == .manager || self == .clerk }

    /// True when this role may do `permission` (at its stores, for a store-scoped role).
    public func allows(_ permission: Permission) -> Bool {
        switch permission {
        case .readCatalog, .readStock:
            true
        case .readMovements, .readReports:
            self != .clerk
        case .recordMovement(let kind):
            switch self {
            case .admin, .manager: true
            case .clerk: [.stockIn, .sale, .removal, .count].contains(kind)
            case .auditor: false
            }
        case .setReorderLevel, .transferStock:
            self == .admin || self == .manager
        case .changeCatalog, .manageAccess, .manageWebhooks:
            self == .admin
        case .readAudit, .readAccess:
            self == .admin || self == .auditor
        }
    }
}

/// One kind of action a caller may take, checked against the caller's role.
public enum Permission: Sendable, Hashable {
    /// Read products, suppliers, cities and stores.
    case readCatalog
    /// Read stock levels.
    case readStock
    /// Read a store's movement history.
    case readMovements
    /// Read aggregated reports.
    case readReports
    /// Record a movement of this kind.
    case recordMovement(MovementKind)
    case setReorderLevel
    case transferStock
    /// Create, change or delete products, suppliers, cities and stores.
    case changeCatalog
    /// Create and change users and API keys.
    case manageAccess
    /// Read users and API keys.
    case readAccess
    case readAudit
    /// Create, read, change and delete webhook endpoints and their deliveries.
    case manageWebhooks
}

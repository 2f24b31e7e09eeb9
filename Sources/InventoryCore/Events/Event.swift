import Foundation

/// What an event says happened. The list is part of the API: consumers filter on these names.
public enum EventType: String, Sendable, Hashable, CaseIterable, Codable {
    /// One movement, as `GET /v1/movements` shows it; one event per movement, transfers included.
    case movementRecorded = "movement.recorded"
    /// A (store, product)'s on-hand after a change: one per pair a request moved, after its movements.
    case stockChanged = "stock.changed"
    /// A transfer between two stores, published at its source store.
    case transferRecorded = "transfer.recorded"
    case reorderLevelSet = "reorder_level.set"
    /// A store's product fell to or below its reorder level (the alert consumer).
    case alertRaised = "alert.raised"
    case alertAcknowledged = "alert.acknowledged"
    /// Its stock rose above the level again, or the level was cleared.
    case alertResolved = "alert.resolved"
    case productCreated = "product.created"
    case productUpdated = "product.updated"
    case productDeleted = "product.deleted"
    case productSupplierLinked = "product_supplier.linked"
    case productSupplierUnlinked = "product_supplier.unlinked"
    case cityCreated = "city.created"
    case cityUpdated = "city.updated"
    case cityDeleted = "city.deleted"
    case storeCreated = "store.created"
    case storeUpdated = "store.updated"
    case storeDeleted = "store.deleted"
    case supplierCreated = "supplier.created"
    case supplierUpdated = "supplier.updated"
    case supplierDeleted = "supplier.deleted"
    case userCreated = "user.created"
    case userUpdated = "user.updated"
    case apiKeyCreated = "api_key.created"
    case apiKeyRevoked = "api_key.revoked"
    /// Webhook endpoints (admins and auditors only; never the secret).
    case webhookCreated = "webhook.created"
    case webhookUpdated = "webhook.updated"
    case webhookDeleted = "webhook.deleted"
    /// A delivery sent again by hand.
    case webhookDeliveryRetried = "webhook_delivery.retried"
}

/// Who may read an event, beyond the store it belongs to.
public enum EventAudience: String, Sendable, Hashable {
    /// Everyone who may read the store it belongs to, or everyone when it belongs to no store.
    case readers
    /// Only admins and auditors (users and keys).
    case administrators
}

/// An event as a change describes it, appended to the event log in the change's own transaction.
public struct EventRecord: Sendable, Hashable {
    public var type: EventType
    /// The store the event belongs to; nil for the catalog, cities, suppliers, users and keys.
    public var storeID: Int64?
    public var audience: EventAudience
    /// The resource as the API shows it, as JSON.
    public var payload: String

    public init(type: EventType, storeID: Int64?, audience: EventAudience = .readers, payload: String) {
        self.type = type
        self.storeID = storeID
        self.audience = audience
        self.payload = payload
    }
}

/// A place in the event log. Positions are totally ordered and only ever handed out below every
/// transaction still running, so a consumer that reads past a position never misses an event
/// committed later. On PostgreSQL a position is the writing transaction's id and the event's id;
/// on SQLite (one writer at a time, ids in commit order) the transaction part is always 0.
public struct EventPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var transaction: Int64
    public var id: Int64

    public init(transaction: Int64, id: Int64) {
        self.transaction = transaction
        self.id = id
    }

    /// Before every event.
    public static let start = EventPosition(transaction: 0, id: 0)

    public static func < (lhs: EventPosition, rhs: EventPosition) -> Bool {
        (lhs.transaction, lhs.id) < (rhs.transaction, rhs.id)
    }

    /// The cursor text: `transaction-id`, such as `7412-9983`.
    public var description: String { "\(transaction)-\(id)" }

    /// Parses a cursor; `invalidField(name:)` when it is not one.
    public init(cursor text: String, field: String) throws(InventoryError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 19 && $0.allSatisfy(\.isASCII) }),
            let transaction = Int64(parts[0]), let id = Int64(parts[1]), transaction >= 0, id >= 0
        else {
            throw .invalidField(name: field, reason: "must be an event id such as 7412-9983, as the log gave it")
        }
        self.init(transaction: transaction, id: id)
    }
}

/// One stored event.
public struct Event: Sendable, Hashable {
    public var position: EventPosition
    public var type: EventType
    public var storeID: Int64?
    public var audience: EventAudience
    public var recordedAt: Date
    public var payload: String

    public init(
        position: EventPosition, type: EventType, storeID: Int64?, audience: EventAudience, recordedAt: Date,
        payload: String
    ) {
        self.position = position
        self.type = type
        self.storeID = storeID
        self.audience = audience
        self.recordedAt = recordedAt
        self.payload = payload
    }
}

/// Which events a reader wants, after a position, in log order.
public struct EventQuery: Sendable, Hashable {
    public var after: EventPosition
    /// The stores the caller may see: their stores' events and those that belong to no store.
    public let scope: StoreScope
    /// Whether the caller may see users and keys (admins and auditors).
    public let administrator: Bool
    /// Only this store's events (and none that belong to no store).
    public var storeID: Int64?
    /// Only these types; empty for all.
    public var types: Set<EventType>
    public var limit: Int

    public init(
        after: EventPosition, scope: StoreScope, administrator: Bool, storeID: Int64? = nil,
        types: Set<EventType> = [], limit: Int = Limits.pageSizeDefault
    ) throws(InventoryError) {
        guard (1...Limits.eventPageSizeMax).contains(limit) else {
            throw .invalidField(name: "limit", reason: "must be between 1 and \(Limits.eventPageSizeMax)")
        }
        self.after = after
        self.scope = scope
        self.administrator = administrator
        self.storeID = storeID
        self.types = types
        self.limit = limit
    }

    /// True when the caller asked for, and may see, `event`.
    public func admits(_ event: Event) -> Bool {
        if !types.isEmpty && !types.contains(event.type) { return false }
        if event.audience == .administrators && !administrator { return false }
        if let storeID, event.storeID != storeID { return false }
        guard let eventStore = event.storeID else { return true }
        switch scope {
        case .all: return true
        case .stores(let ids): return ids.contains(eventStore)
        }
    }
}

/// What one read of the log returned: the events the query admits, and how far the read got, which
/// can be past the last event returned when it passed events the query does not admit.
public struct EventBatch: Sendable {
    public var events: [Event]
    /// Resume after this to continue where the read stopped.
    public var reachedPosition: EventPosition

    public init(events: [Event], reachedPosition: EventPosition) {
        self.events = events
        self.reachedPosition = reachedPosition
    }
}

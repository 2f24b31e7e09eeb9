import Foundation

/// Where a low-stock alert stands. At most one alert per (store, product) is not resolved.
public enum AlertState: String, Sendable, Hashable, CaseIterable, Codable {
    /// On-hand fell to or below the reorder level.
    case open
    /// Someone has seen it; it stays until the stock recovers.
    case acknowledged
    /// On-hand rose above the reorder level again (or the level was cleared).
    case resolved
}

/// A store's product at or below its reorder level, raised and resolved by the alert consumer as
/// the event log reports stock changes.
public struct Alert: Sendable, Hashable, Identifiable, Encodable {
    public var id: Int64
    public var storeID: Int64
    public var productID: Int64
    public var sku: SKU
    public var state: AlertState
    /// The level and the on-hand when the alert was raised.
    public var reorderLevel: Quantity
    public var onHand: Quantity
    public var raisedAt: Date
    public var acknowledgedAt: Date?
    public var acknowledgedBy: Identity?
    public var resolvedAt: Date?

    public init(
        id: Int64, storeID: Int64, productID: Int64, sku: SKU, state: AlertState, reorderLevel: Quantity,
        onHand: Quantity, raisedAt: Date, acknowledgedAt: Date? = nil, acknowledgedBy: Identity? = nil,
        resolvedAt: Date? = nil
    ) {
        self.id = id
        self.storeID = storeID
        self.productID = productID
        self.sku = sku
        self.state = state
        self.reorderLevel = reorderLevel
        self.onHand = onHand
        self.raisedAt = raisedAt
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
        self.resolvedAt = resolvedAt
    }
}

/// When a (store, product) needs an alert raised or resolved.
public enum AlertRule {
    public enum Decision: Sendable, Equatable {
        case raise
        case resolve
        case keep
    }

    /// Low means a level is set and on-hand is at or below it; an unresolved alert is resolved once
    /// the product is no longer low.
    public static func decide(onHand: Quantity, reorderLevel: Quantity?, hasUnresolvedAlert: Bool) -> Decision {
        let low = reorderLevel.map { onHand <= $0 } ?? false
        switch (low, hasUnresolvedAlert) {
        case (true, false): return .raise
        case (false, true): return .resolve
        default: return .keep
        }
    }
}

/// Filters for listing alerts, newest first.
public struct AlertQuery: Sendable, Hashable {
    /// The stores the caller may see.
    public let scope: StoreScope
    public var storeID: Int64?
    public var state: AlertState?
    public var page: PageRequest

    public init(scope: StoreScope, storeID: Int64? = nil, state: AlertState? = nil, page: PageRequest) {
        self.scope = scope
        self.storeID = storeID
        self.state = state
        self.page = page
    }
}

/// What one pass of the alert consumer did.
public struct AlertProgress: Sendable, Hashable {
    /// Events read past (of every type), raised and resolved alerts.
    public var eventsRead: Int
    public var raised: Int
    public var resolved: Int

    public init(eventsRead: Int, raised: Int, resolved: Int) {
        self.eventsRead = eventsRead
        self.raised = raised
        self.resolved = resolved
    }
}

extension AuditRecord {
    /// An alert raised or resolved by the consumer: not an audit entry (no one acted), only events.
    public static func alertEvents(_ alerts: [Alert]) -> [EventRecord] {
        alerts.map { alert in
            EventRecord(
                type: alert.state == .resolved ? .alertResolved : .alertRaised, storeID: alert.storeID,
                payload: AuditSnapshot.json(alert))
        }
    }

    /// Someone acknowledged an alert, in the store's chain.
    public static func alertAcknowledged(before: Alert, after: Alert) -> AuditRecord {
        var record = AuditRecord.change(
            "alert.acknowledge", "alert", id: after.id, before: before, after: after, chain: after.storeID)
        record.events = [EventRecord(type: .alertAcknowledged, storeID: after.storeID, payload: record.after ?? "{}")]
        return record
    }
}

import Foundation

/// An endpoint that receives events by HTTP POST, each signed with the endpoint's secret (Standard
/// Webhooks). The secret is never part of this value: it is shown once, when the endpoint is made.
public struct Webhook: Sendable, Hashable, Identifiable, Encodable {
    public var id: Int64
    public var url: String
    /// The types it receives, sorted by name.
    public var eventTypes: [EventType]
    /// Only this store's events (and none that belong to no store), or every store's when nil.
    public var storeID: Int64?
    /// A disabled endpoint receives nothing new and its pending deliveries wait until it is enabled.
    public var enabled: Bool
    /// Why it was disabled, when the server did it (the receiver answered 410 Gone).
    public var disabledReason: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, url: String, eventTypes: [EventType], storeID: Int64?, enabled: Bool, disabledReason: String?,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.url = url
        self.eventTypes = eventTypes
        self.storeID = storeID
        self.enabled = enabled
        self.disabledReason = disabledReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// True when this endpoint should receive `event`: a type it asked for, at its store if it has
    /// one, and recorded after it was made.
    public func accepts(_ event: Event) -> Bool {
        guard enabled, eventTypes.contains(event.type), event.recordedAt >= createdAt else { return false }
        guard let storeID else { return true }
        return event.storeID == storeID
    }
}

/// A new endpoint, checked: an http or https URL of bounded length, at least one event type.
public struct WebhookDraft: Sendable, Hashable {
    public var url: String
    public var eventTypes: [EventType]
    public var storeID: Int64?
    public var enabled: Bool

    public init(url: String, eventTypes: [EventType], storeID: Int64?, enabled: Bool = true) throws(InventoryError) {
        self.url = try Self.checkedURL(url)
        self.eventTypes = try Self.checkedTypes(eventTypes)
        self.storeID = storeID
        self.enabled = enabled
    }

    public static func checkedURL(_ text: String) throws(InventoryError) -> String {
        guard text.utf8.count <= Limits.webhookURLLengthMax else {
            throw .invalidField(name: "url", reason: "must be at most \(Limits.webhookURLLengthMax) bytes")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.user == nil, components.password == nil, components.fragment == nil
        else {
            throw .invalidField(
                name: "url", reason: "must be an http or https URL with a host, without credentials or a fragment")
        }
        return text
    }

    public static func checkedTypes(_ types: [EventType]) throws(InventoryError) -> [EventType] {
        guard !types.isEmpty else {
            throw .invalidField(name: "event_types", reason: "must name at least one event type")
        }
        return Set(types).sorted { $0.rawValue < $1.rawValue }
    }
}

/// A change to an endpoint; nil leaves a field as it is. Enabling an endpoint clears the reason it
/// was disabled.
public struct WebhookPatch: Sendable, Hashable {
    public var url: String?
    public var eventTypes: [EventType]?
    /// `.some(nil)` clears the store filter.
    public var storeID: Int64??
    public var enabled: Bool?

    public init(
        url: String? = nil, eventTypes: [EventType]? = nil, storeID: Int64?? = nil, enabled: Bool? = nil
    ) throws(InventoryError) {
        self.url = try url.map { text throws(InventoryError) in try WebhookDraft.checkedURL(text) }
        self.eventTypes = try eventTypes.map { types throws(InventoryError) in try WebhookDraft.checkedTypes(types) }
        self.storeID = storeID
        self.enabled = enabled
    }

    public func applied(to webhook: Webhook, now: Date) -> Webhook {
        var changed = webhook
        if let url { changed.url = url }
        if let eventTypes { changed.eventTypes = eventTypes }
        if let storeID { changed.storeID = storeID }
        if let enabled {
            changed.enabled = enabled
            if enabled { changed.disabledReason = nil }
        }
        changed.updatedAt = now
        return changed
    }
}

/// Where one delivery of one event to one endpoint stands.
public enum WebhookDeliveryState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Waiting for its next attempt (or being attempted).
    case pending
    /// The receiver answered 2xx.
    case delivered
    /// Every attempt failed (or the receiver answered 410 Gone); it can be retried by hand.
    case dead
}

/// One event for one endpoint, with the body it is sent as (kept, so a retry days later sends the
/// same bytes even after the event log pruned the event).
public struct WebhookDelivery: Sendable, Hashable, Identifiable, Encodable {
    public var id: Int64
    public var webhookID: Int64
    /// The event's position, sent as `webhook-id`: the same on every attempt, so receivers can
    /// drop repeats.
    public var eventID: String
    public var eventType: EventType
    public var state: WebhookDeliveryState
    public var attempts: Int
    /// When the next attempt is due (pending only).
    public var nextAttemptAt: Date?
    public var lastAttemptAt: Date?
    /// The receiver's last HTTP status, or the last error when there was no answer.
    public var lastStatus: Int?
    public var lastError: String?
    public var createdAt: Date
    public var deliveredAt: Date?

    public init(
        id: Int64, webhookID: Int64, eventID: String, eventType: EventType, state: WebhookDeliveryState,
        attempts: Int, nextAttemptAt: Date?, lastAttemptAt: Date?, lastStatus: Int?, lastError: String?,
        createdAt: Date, deliveredAt: Date?
    ) {
        self.id = id
        self.webhookID = webhookID
        self.eventID = eventID
        self.eventType = eventType
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastAttemptAt = lastAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }
}

/// A delivery to make: the event, for an endpoint, as the bytes it is sent as.
public struct NewWebhookDelivery: Sendable, Hashable {
    public var webhookID: Int64
    public var eventID: String
    public var eventType: EventType
    public var body: String

    public init(webhookID: Int64, eventID: String, eventType: EventType, body: String) {
        self.webhookID = webhookID
        self.eventID = eventID
        self.eventType = eventType
        self.body = body
    }
}

/// A delivery a worker has claimed for one attempt: nobody else attempts it until `leaseUntil`.
public struct ClaimedWebhookDelivery: Sendable, Hashable {
    public var delivery: WebhookDelivery
    public var url: String
    public var secret: String
    public var body: String
    /// When its retry schedule started (its creation, or the last retry by hand).
    public var scheduledFrom: Date

    public init(delivery: WebhookDelivery, url: String, secret: String, body: String, scheduledFrom: Date) {
        self.delivery = delivery
        self.url = url
        self.secret = secret
        self.body = body
        self.scheduledFrom = scheduledFrom
    }
}

/// How an attempt ended, and what follows.
public struct WebhookAttempt: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        case delivered
        /// Failed; try again at this time.
        case retry(at: Date)
        /// Failed for the last time.
        case dead
        /// The receiver answered 410 Gone: the delivery is dead and the endpoint disabled.
        case gone
    }

    public var outcome: Outcome
    public var status: Int?
    public var error: String?
    public var at: Date

    public init(outcome: Outcome, status: Int?, error: String?, at: Date) {
        self.outcome = outcome
        self.status = status
        self.error = error.map { String($0.prefix(Limits.webhookErrorLengthMax)) }
        self.at = at
    }
}

/// When a failed delivery is tried again: about 5 s, 5 min, 30 min, 2 h, 5 h and 10 h after each
/// failure, then daily, until `horizon` after its schedule started; each wait stretched or shrunk
/// at random by up to `jitter` so that a receiver back from an outage is not hit by every retry at
/// once.
public struct WebhookRetryPolicy: Sendable, Hashable {
    public var delays: [Duration]
    public var thenEvery: Duration
    public var horizon: Duration
    /// A fraction of each wait, 0 to 1.
    public var jitter: Double

    public static let standard = WebhookRetryPolicy(
        delays: [.seconds(5), .seconds(300), .seconds(1_800), .seconds(7_200), .seconds(18_000), .seconds(36_000)],
        thenEvery: .seconds(86_400), horizon: .seconds(3 * 86_400), jitter: 0.2)

    public init(delays: [Duration], thenEvery: Duration, horizon: Duration, jitter: Double) {
        self.delays = delays
        self.thenEvery = thenEvery
        self.horizon = horizon
        self.jitter = jitter
    }

    /// The next attempt after `failures` failed attempts (1 or more), or nil when the delivery is
    /// dead. `random` is a number from 0 to 1.
    public func nextAttempt(afterFailures failures: Int, scheduledFrom: Date, now: Date, random: Double) -> Date? {
        let base = failures <= delays.count ? delays[max(failures, 1) - 1] : thenEvery
        let factor = 1 + jitter * (2 * min(max(random, 0), 1) - 1)
        let next = now.addingTimeInterval(base.timeInterval * factor)
        let end = scheduledFrom.addingTimeInterval(horizon.timeInterval)
        return next <= end ? next : nil
    }
}

/// Which deliveries of an endpoint to list, newest first.
public struct WebhookDeliveryQuery: Sendable, Hashable {
    public var webhookID: Int64
    public var state: WebhookDeliveryState?
    public var page: PageRequest

    public init(webhookID: Int64, state: WebhookDeliveryState? = nil, page: PageRequest) {
        self.webhookID = webhookID
        self.state = state
        self.page = page
    }
}

extension AuditRecord {
    /// An endpoint made, changed or deleted; its secret is in no snapshot.
    public static func webhook(_ verb: Verb, before: Webhook?, after: Webhook?) -> AuditRecord {
        .change("webhook.\(verb.rawValue)", "webhook", id: (after ?? before)!.id, before: before, after: after)
            .publishing(
                verb.pick(.webhookCreated, .webhookUpdated, .webhookDeleted), storeID: nil, audience: .administrators)
    }

    /// A dead delivery sent back to the queue by hand.
    public static func webhookDeliveryRetried(before: WebhookDelivery, after: WebhookDelivery) -> AuditRecord {
        .change("webhook_delivery.retry", "webhook_delivery", id: after.id, before: before, after: after)
            .publishing(.webhookDeliveryRetried, storeID: nil, audience: .administrators)
    }
}

import Hummingbird
import InventoryCore

/// A webhook endpoint as the API shows it; `secret` only in the answer that made it.
public struct WebhookWire: ResponseCodable, Sendable, Equatable {
    public var id: Int64
    public var url: String
    public var eventTypes: [String]
    public var storeID: Int64?
    public var enabled: Bool
    public var disabledReason: String?
    public var createdAt: String
    public var updatedAt: String
    public var secret: String?

    enum CodingKeys: String, CodingKey {
        case id, url, enabled, secret
        case eventTypes = "event_types"
        case storeID = "store_id"
        case disabledReason = "disabled_reason"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(_ webhook: Webhook, secret: String? = nil) {
        id = webhook.id
        url = webhook.url
        eventTypes = webhook.eventTypes.map(\.rawValue)
        storeID = webhook.storeID
        enabled = webhook.enabled
        disabledReason = webhook.disabledReason
        createdAt = WireCoding.formatTime(webhook.createdAt)
        updatedAt = WireCoding.formatTime(webhook.updatedAt)
        self.secret = secret
    }

    // Absent keys stay absent (a null `secret` would read as "no secret").
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(url, forKey: .url)
        try container.encode(eventTypes, forKey: .eventTypes)
        try container.encode(storeID, forKey: .storeID)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(disabledReason, forKey: .disabledReason)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(secret, forKey: .secret)
    }
}

/// Every endpoint (at most `Limits.webhooksMax`, so one page).
public struct WebhookListWire: ResponseCodable, Sendable {
    public var items: [WebhookWire]
}

/// One delivery of one event to an endpoint.
public struct WebhookDeliveryWire: ResponseCodable, Sendable, Equatable {
    public var id: Int64
    public var webhookID: Int64
    public var eventID: String
    public var eventType: String
    public var state: String
    public var attempts: Int
    public var nextAttemptAt: String?
    public var lastAttemptAt: String?
    public var lastStatus: Int?
    public var lastError: String?
    public var createdAt: String
    public var deliveredAt: String?

    enum CodingKeys: String, CodingKey {
        case id, state, attempts
        case webhookID = "webhook_id"
        case eventID = "event_id"
        case eventType = "event_type"
        case nextAttemptAt = "next_attempt_at"
        case lastAttemptAt = "last_attempt_at"
        case lastStatus = "last_status"
        case lastError = "last_error"
        case createdAt = "created_at"
        case deliveredAt = "delivered_at"
    }

    public init(_ delivery: WebhookDelivery) {
        id = delivery.id
        webhookID = delivery.webhookID
        eventID = delivery.eventID
        eventType = delivery.eventType.rawValue
        state = delivery.state.rawValue
        attempts = delivery.attempts
        nextAttemptAt = delivery.state == .pending ? delivery.nextAttemptAt.map(WireCoding.formatTime) : nil
        lastAttemptAt = delivery.lastAttemptAt.map(WireCoding.formatTime)
        lastStatus = delivery.lastStatus
        lastError = delivery.lastError
        createdAt = WireCoding.formatTime(delivery.createdAt)
        deliveredAt = delivery.deliveredAt.map(WireCoding.formatTime)
    }
}

/// `POST` and `PATCH /v1/webhooks` bodies: `url`, `event_types`, `store_id` (null for every store),
/// `enabled`.
struct WebhookBody: Decodable {
    var url: String?
    var eventTypes: [String]?
    var storeID: Int64??
    var enabled: Bool?

    enum CodingKeys: String, CodingKey {
        case url, enabled
        case eventTypes = "event_types"
        case storeID = "store_id"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try container.decodeUnlessNull(String.self, forKey: .url)
        eventTypes = try container.decodeUnlessNull([String].self, forKey: .eventTypes)
        storeID = try container.decodeNullable(Int64.self, forKey: .storeID)
        enabled = try container.decodeUnlessNull(Bool.self, forKey: .enabled)
    }

    func draft() throws(InventoryError) -> WebhookDraft {
        guard let url else { throw .invalidField(name: "url", reason: "is required") }
        guard let eventTypes else { throw .invalidField(name: "event_types", reason: "is required") }
        return try WebhookDraft(
            url: url, eventTypes: try Self.types(eventTypes), storeID: storeID ?? nil, enabled: enabled ?? true)
    }

    func patch() throws(InventoryError) -> WebhookPatch {
        try WebhookPatch(
            url: url, eventTypes: try eventTypes.map { names throws(InventoryError) in try Self.types(names) },
            storeID: storeID, enabled: enabled)
    }

    static func types(_ names: [String]) throws(InventoryError) -> [EventType] {
        guard names.count <= EventType.allCases.count * 2 else {
            throw .invalidField(name: "event_types", reason: "lists too many types")
        }
        return try names.map { name throws(InventoryError) in
            guard let type = EventType(rawValue: name) else {
                throw .invalidField(name: "event_types", reason: "\(name.prefix(64)) is not an event type")
            }
            return type
        }
    }
}

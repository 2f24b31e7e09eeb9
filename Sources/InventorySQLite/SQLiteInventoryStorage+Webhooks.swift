import Foundation
import GRDB
import InventoryCore

extension SQLiteInventoryStorage {
    public func webhooks() async throws -> [Webhook] {
        try await read { db in
            try Row.fetchAll(db, literal: "SELECT * FROM webhooks ORDER BY id LIMIT \(Limits.webhooksMax)")
                .map(Self.webhook)
        }
    }

    public func webhook(id: Int64) async throws -> Webhook {
        try await read { db in try Self.requireWebhook(db, id: id) }
    }

    public func webhookDeliveries(_ query: WebhookDeliveryQuery) async throws -> Page<WebhookDelivery> {
        try await read { db in
            _ = try Self.requireWebhook(db, id: query.webhookID)
            var conditions = SQLiteConditions(
                "webhook_id = \(query.webhookID) AND id < \(query.page.after ?? Int64.max)")
            conditions.equal("state", query.state?.rawValue)
            let rows = try Row.fetchAll(
                db,
                literal: """
                    SELECT * FROM webhook_deliveries WHERE \(conditions.sql) ORDER BY id DESC
                    LIMIT \(query.page.limit + 1)
                    """)
            return Page(fetched: rows.map(Self.delivery), request: query.page, sortKey: \.id)
        }
    }

    public func webhookCursor() async throws -> EventPosition {
        try await read { db in
            EventPosition(
                transaction: 0,
                id: try Int64.fetchOne(db, literal: "SELECT id FROM event_consumers WHERE name = 'webhooks'") ?? 0)
        }
    }

    public func createWebhook(_ draft: WebhookDraft, secret: String, by context: ChangeContext) async throws
        -> Webhook
    {
        try await write { db, now in
            let count = try Int.fetchOne(db, literal: "SELECT count(*) FROM webhooks") ?? 0
            guard count < Limits.webhooksMax else {
                throw InventoryError.webhookLimitReached(limit: Limits.webhooksMax)
            }
            if let storeID = draft.storeID { _ = try Self.requireStore(db, id: storeID) }
            try db.execute(
                literal: """
                    INSERT INTO webhooks (url, event_types, store_id, secret, enabled, created_at, updated_at)
                    VALUES (\(draft.url), \(Self.typeList(draft.eventTypes)), \(draft.storeID), \(secret),
                        \(draft.enabled), \(now.unixMilliseconds), \(now.unixMilliseconds))
                    """)
            let webhook = try Self.requireWebhook(db, id: db.lastInsertedRowID)
            try Self.appendAudit(db, .webhook(.create, before: nil, after: webhook), context, now: now)
            return webhook
        }
    }

    public func updateWebhook(id: Int64, _ patch: WebhookPatch, by context: ChangeContext) async throws -> Webhook {
        try await write { db, now in
            let before = try Self.requireWebhook(db, id: id)
            let after = patch.applied(to: before, now: now)
            if let storeID = after.storeID, storeID != before.storeID { _ = try Self.requireStore(db, id: storeID) }
            try db.execute(
                literal: """
                    UPDATE webhooks SET url = \(after.url), event_types = \(Self.typeList(after.eventTypes)),
                        store_id = \(after.storeID), enabled = \(after.enabled),
                        disabled_reason = \(after.disabledReason), updated_at = \(now.unixMilliseconds)
                    WHERE id = \(id)
                    """)
            let webhook = try Self.requireWebhook(db, id: id)
            try Self.appendAudit(db, .webhook(.update, before: before, after: webhook), context, now: now)
            return webhook
        }
    }

    public func deleteWebhook(id: Int64, by context: ChangeContext) async throws {
        try await write { db, now in
            let before = try Self.requireWebhook(db, id: id)
            try db.execute(literal: "DELETE FROM webhooks WHERE id = \(id)")
            try Self.appendAudit(db, .webhook(.delete, before: before, after: nil), context, now: now)
        }
    }

    public func retryWebhookDelivery(webhookID: Int64, deliveryID: Int64, by context: ChangeContext) async throws
        -> WebhookDelivery
    {
        try await write { db, now in
            _ = try Self.requireWebhook(db, id: webhookID)
            guard
                let before = try Row.fetchOne(
                    db,
                    literal: "SELECT * FROM webhook_deliveries WHERE id = \(deliveryID) AND webhook_id = \(webhookID)"
                ).map(Self.delivery)
            else { throw InventoryError.webhookDeliveryNotFound(webhookID: webhookID, deliveryID: deliveryID) }
            guard before.state != .pending else { return before }
            let at = now.unixMilliseconds
            try db.execute(
                literal: """
                    UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = \(at),
                        scheduled_from = \(at), delivered_at = NULL
                    WHERE id = \(deliveryID)
                    """)
            let after = try Row.fetchOne(db, literal: "SELECT * FROM webhook_deliveries WHERE id = \(deliveryID)")
                .map(Self.delivery)!
            try Self.appendAudit(db, .webhookDeliveryRetried(before: before, after: after), context, now: now)
            return after
        }
    }

    public func enqueueWebhookDeliveries(_ deliveries: [NewWebhookDelivery], from: EventPosition, to: EventPosition)
        async throws -> Bool
    {
        try await write { db, now in
            try db.execute(
                literal: "UPDATE event_consumers SET id = \(to.id) WHERE name = 'webhooks' AND id = \(from.id)")
            guard db.changesCount == 1 else { return false }
            let at = now.unixMilliseconds
            for delivery in deliveries {
                try db.execute(
                    literal: """
                        INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, body, state,
                            next_attempt_at, created_at, scheduled_from)
                        SELECT id, \(delivery.eventID), \(delivery.eventType.rawValue), \(delivery.body), 'pending',
                            \(at), \(at), \(at)
                        FROM webhooks WHERE id = \(delivery.webhookID)
                        ON CONFLICT (webhook_id, event_id) DO NOTHING
                        """)
            }
            return true
        }
    }

    public func claimWebhookDeliveries(limit: Int, now: Date, leaseUntil: Date) async throws
        -> [ClaimedWebhookDelivery]
    {
        try await write { db, _ in
            let rows = try Row.fetchAll(
                db,
                literal: """
                    SELECT d.*, w.url, w.secret FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                    WHERE d.state = 'pending' AND d.next_attempt_at <= \(now.unixMilliseconds) AND w.enabled
                    ORDER BY d.next_attempt_at LIMIT \(limit)
                    """)
            return try rows.map { row in
                let id: Int64 = row["id"]
                try db.execute(
                    literal: """
                        UPDATE webhook_deliveries SET attempts = attempts + 1,
                            next_attempt_at = \(leaseUntil.unixMilliseconds), last_attempt_at = \(now.unixMilliseconds)
                        WHERE id = \(id)
                        """)
                var delivery = Self.delivery(row)
                delivery.attempts += 1
                delivery.nextAttemptAt = leaseUntil
                delivery.lastAttemptAt = now
                return ClaimedWebhookDelivery(
                    delivery: delivery, url: row["url"], secret: row["secret"], body: row["body"],
                    scheduledFrom: Date(unixMilliseconds: row["scheduled_from"]))
            }
        }
    }

    public func recordWebhookAttempt(deliveryID: Int64, _ attempt: WebhookAttempt) async throws {
        try await write { db, _ in
            let state: WebhookDeliveryState
            var next: Int64?
            switch attempt.outcome {
            case .delivered: state = .delivered
            case .retry(let at):
                state = .pending
                next = at.unixMilliseconds
            case .dead, .gone: state = .dead
            }
            let delivered = state == .delivered ? attempt.at.unixMilliseconds : nil
            try db.execute(
                literal: """
                    UPDATE webhook_deliveries SET state = \(state.rawValue), next_attempt_at = \(next),
                        last_status = \(attempt.status), last_error = \(attempt.error), delivered_at = \(delivered)
                    WHERE id = \(deliveryID) AND state = 'pending'
                    """)
            guard attempt.outcome == .gone, db.changesCount == 1 else { return }
            try db.execute(
                literal: """
                    UPDATE webhooks SET enabled = 0, disabled_reason = 'the receiver answered 410 Gone',
                        updated_at = \(attempt.at.unixMilliseconds)
                    WHERE id = (SELECT webhook_id FROM webhook_deliveries WHERE id = \(deliveryID))
                    """)
        }
    }

    static func requireWebhook(_ db: Database, id: Int64) throws -> Webhook {
        guard let row = try Row.fetchOne(db, literal: "SELECT * FROM webhooks WHERE id = \(id)") else {
            throw InventoryError.webhookNotFound(id: id)
        }
        return webhook(row)
    }

    static func typeList(_ types: [EventType]) -> String {
        types.map(\.rawValue).joined(separator: ",")
    }

    static func webhook(_ row: Row) -> Webhook {
        Webhook(
            id: row["id"], url: row["url"],
            eventTypes: (row["event_types"] as String).split(separator: ",").compactMap {
                EventType(rawValue: String($0))
            },
            storeID: row["store_id"], enabled: row["enabled"], disabledReason: row["disabled_reason"],
            createdAt: Date(unixMilliseconds: row["created_at"]), updatedAt: Date(unixMilliseconds: row["updated_at"]))
    }

    static func delivery(_ row: Row) -> WebhookDelivery {
        WebhookDelivery(
            id: row["id"], webhookID: row["webhook_id"], eventID: row["event_id"],
            eventType: EventType(rawValue: row["event_type"]) ?? .movementRecorded,
            state: WebhookDeliveryState(rawValue: row["state"]) ?? .pending, attempts: row["attempts"],
            nextAttemptAt: (row["next_attempt_at"] as Int64?).map(Date.init(unixMilliseconds:)),
            lastAttemptAt: (row["last_attempt_at"] as Int64?).map(Date.init(unixMilliseconds:)),
            lastStatus: row["last_status"], lastError: row["last_error"],
            createdAt: Date(unixMilliseconds: row["created_at"]),
            deliveredAt: (row["delivered_at"] as Int64?).map(Date.init(unixMilliseconds:)))
    }
}

import Foundation
import InventoryCore
import PostgresNIO

extension PostgresInventoryStorage {
    public func webhooks() async throws -> [Webhook] {
        try await access { connection in
            try await connection.query(
                "SELECT * FROM webhooks ORDER BY id LIMIT \(Limits.webhooksMax)", logger: self.logger
            ).collectRows(Self.webhook)
        }
    }

    public func webhook(id: Int64) async throws -> Webhook {
        try await access { connection in
            try await Self.requireWebhook(connection, id: id, lock: false, logger: self.logger)
        }
    }

    public func webhookDeliveries(_ query: WebhookDeliveryQuery) async throws -> Page<WebhookDelivery> {
        try await access { connection in
            _ = try await Self.requireWebhook(connection, id: query.webhookID, lock: false, logger: self.logger)
            var conditions = PostgresConditions(
                "webhook_id = \(query.webhookID) AND id < \(query.page.after ?? Int64.max)")
            if let state = query.state { conditions.append("state = \(state.rawValue)") }
            let statement: QueryFragment = """
                SELECT * FROM webhook_deliveries \(conditions.whereClause) ORDER BY id DESC
                LIMIT \(query.page.limit + 1)
                """
            let rows = try await connection.query(statement.query, logger: self.logger).collectRows(Self.delivery)
            return Page(fetched: rows, request: query.page, sortKey: \.id)
        }
    }

    public func webhookCursor() async throws -> EventPosition {
        try await access { connection in
            try await connection.query(
                "SELECT xid::TEXT AS xid, id FROM event_consumers WHERE name = 'webhooks'", logger: self.logger
            ).collectRows { row in
                EventPosition(
                    transaction: Int64(try row["xid"].decode(String.self)) ?? 0, id: try row["id"].decode(Int64.self))
            }[0]
        }
    }

    public func createWebhook(_ draft: WebhookDraft, secret: String, by context: ChangeContext) async throws
        -> Webhook
    {
        try await transaction { connection in
            let logger = self.logger
            // One creation at a time, so the count below stays true until commit.
            try await connection.query("LOCK TABLE webhooks IN SHARE ROW EXCLUSIVE MODE", logger: logger)
            let count = try await connection.query("SELECT count(*) FROM webhooks", logger: logger)
                .collectRows { try $0[0].decode(Int64.self) }[0]
            guard count < Limits.webhooksMax else {
                throw InventoryError.webhookLimitReached(limit: Limits.webhooksMax)
            }
            if let storeID = draft.storeID { _ = try await Self.requireStore(connection, id: storeID, logger: logger) }
            let now = self.now
            let webhook = try await connection.query(
                """
                INSERT INTO webhooks (url, event_types, store_id, secret, enabled, created_at, updated_at)
                VALUES (\(draft.url), \(draft.eventTypes.map(\.rawValue)), \(draft.storeID), \(secret),
                    \(draft.enabled), \(now), \(now))
                RETURNING *
                """, logger: logger
            ).collectRows(Self.webhook)[0]
            try await self.appendAudit(connection, .webhook(.create, before: nil, after: webhook), context, now: now)
            return webhook
        }
    }

    public func updateWebhook(id: Int64, _ patch: WebhookPatch, by context: ChangeContext) async throws -> Webhook {
        try await transaction { connection in
            let logger = self.logger
            let before = try await Self.requireWebhook(connection, id: id, lock: true, logger: logger)
            let now = self.now
            let after = patch.applied(to: before, now: now)
            if let storeID = after.storeID, storeID != before.storeID {
                _ = try await Self.requireStore(connection, id: storeID, logger: logger)
            }
            let webhook = try await connection.query(
                """
                UPDATE webhooks SET url = \(after.url), event_types = \(after.eventTypes.map(\.rawValue)),
                    store_id = \(after.storeID), enabled = \(after.enabled), disabled_reason = \(after.disabledReason),
                    updated_at = \(now)
                WHERE id = \(id) RETURNING *
                """, logger: logger
            ).collectRows(Self.webhook)[0]
            try await self.appendAudit(connection, .webhook(.update, before: before, after: webhook), context, now: now)
            return webhook
        }
    }

    public func deleteWebhook(id: Int64, by context: ChangeContext) async throws {
        try await transaction { connection in
            let before = try await Self.requireWebhook(connection, id: id, lock: true, logger: self.logger)
            try await connection.query("DELETE FROM webhooks WHERE id = \(id)", logger: self.logger)
            try await self.appendAudit(
                connection, .webhook(.delete, before: before, after: nil), context, now: self.now)
        }
    }

    public func retryWebhookDelivery(webhookID: Int64, deliveryID: Int64, by context: ChangeContext) async throws
        -> WebhookDelivery
    {
        try await transaction { connection in
            let logger = self.logger
            _ = try await Self.requireWebhook(connection, id: webhookID, lock: false, logger: logger)
            guard
                let before = try await connection.query(
                    """
                    SELECT * FROM webhook_deliveries WHERE id = \(deliveryID) AND webhook_id = \(webhookID)
                    FOR UPDATE
                    """, logger: logger
                ).collectRows(Self.delivery).first
            else { throw InventoryError.webhookDeliveryNotFound(webhookID: webhookID, deliveryID: deliveryID) }
            guard before.state != .pending else { return before }
            let now = self.now
            let after = try await connection.query(
                """
                UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = \(now),
                    scheduled_from = \(now), delivered_at = NULL
                WHERE id = \(deliveryID) RETURNING *
                """, logger: logger
            ).collectRows(Self.delivery)[0]
            try await self.appendAudit(
                connection, .webhookDeliveryRetried(before: before, after: after), context, now: now)
            return after
        }
    }

    /// The cursor's compare-and-set is one UPDATE: a fan-out on another instance that moved it
    /// first holds the row until it commits, and this one then finds the cursor moved.
    public func enqueueWebhookDeliveries(_ deliveries: [NewWebhookDelivery], from: EventPosition, to: EventPosition)
        async throws -> Bool
    {
        try await transaction(wakes: false) { connection in
            let logger = self.logger
            let moved = try await connection.query(
                """
                UPDATE event_consumers SET xid = \(String(to.transaction))::xid8, id = \(to.id)
                WHERE name = 'webhooks' AND xid = \(String(from.transaction))::xid8 AND id = \(from.id)
                RETURNING 1
                """, logger: logger
            ).collectRows { _ in true }
            guard !moved.isEmpty else { return false }
            guard !deliveries.isEmpty else { return true }
            let now = self.now
            try await connection.query(
                """
                INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, body, state, next_attempt_at,
                    created_at, scheduled_from)
                SELECT d.webhook_id, d.event_id, d.event_type, d.body, 'pending', \(now), \(now), \(now)
                FROM unnest(\(deliveries.map(\.webhookID)), \(deliveries.map(\.eventID)),
                    \(deliveries.map(\.eventType.rawValue)), \(deliveries.map(\.body)))
                    AS d (webhook_id, event_id, event_type, body)
                JOIN webhooks w ON w.id = d.webhook_id
                ON CONFLICT (webhook_id, event_id) DO NOTHING
                """, logger: logger)
            return true
        }
    }

    public func claimWebhookDeliveries(limit: Int, now: Date, leaseUntil: Date) async throws
        -> [ClaimedWebhookDelivery]
    {
        try await transaction(wakes: false) { connection in
            try await connection.query(
                """
                WITH due AS (
                    SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                    WHERE d.state = 'pending' AND d.next_attempt_at <= \(now) AND w.enabled
                    ORDER BY d.next_attempt_at LIMIT \(limit)
                    FOR UPDATE OF d SKIP LOCKED
                ), claimed AS (
                    UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = \(leaseUntil),
                        last_attempt_at = \(now)
                    FROM due WHERE d.id = due.id
                    RETURNING d.*
                )
                SELECT c.*, w.url, w.secret FROM claimed c JOIN webhooks w ON w.id = c.webhook_id
                ORDER BY c.id
                """, logger: self.logger
            ).collectRows { row in
                ClaimedWebhookDelivery(
                    delivery: try Self.delivery(row), url: try row["url"].decode(String.self),
                    secret: try row["secret"].decode(String.self), body: try row["body"].decode(String.self),
                    scheduledFrom: try timestamp(row["scheduled_from"]))
            }
        }
    }

    public func recordWebhookAttempt(deliveryID: Int64, _ attempt: WebhookAttempt) async throws {
        try await transaction(wakes: false) { connection in
            let logger = self.logger
            let state: WebhookDeliveryState
            var next: Date?
            switch attempt.outcome {
            case .delivered: state = .delivered
            case .retry(let at):
                state = .pending
                next = at
            case .dead, .gone: state = .dead
            }
            let delivered = state == .delivered ? attempt.at : nil
            let webhookIDs = try await connection.query(
                """
                UPDATE webhook_deliveries SET state = \(state.rawValue), next_attempt_at = \(next),
                    last_status = \(attempt.status), last_error = \(attempt.error), delivered_at = \(delivered)
                WHERE id = \(deliveryID) AND state = 'pending'
                RETURNING webhook_id
                """, logger: logger
            ).collectRows { try $0[0].decode(Int64.self) }
            if attempt.outcome == .gone, let webhookID = webhookIDs.first {
                try await connection.query(
                    """
                    UPDATE webhooks SET enabled = false, disabled_reason = 'the receiver answered 410 Gone',
                        updated_at = \(attempt.at)
                    WHERE id = \(webhookID)
                    """, logger: logger)
            }
        }
    }

    static func requireWebhook(_ connection: GuardedConnection, id: Int64, lock: Bool, logger: Logger) async throws
        -> Webhook
    {
        let statement: QueryFragment = "SELECT * FROM webhooks WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")"
        guard let webhook = try await connection.query(statement.query, logger: logger).collectRows(webhook).first
        else { throw InventoryError.webhookNotFound(id: id) }
        return webhook
    }

    static func webhook(_ row: PostgresRandomAccessRow) throws -> Webhook {
        Webhook(
            id: try row["id"].decode(Int64.self), url: try row["url"].decode(String.self),
            eventTypes: try row["event_types"].decode([String].self).compactMap(EventType.init(rawValue:)),
            storeID: try row["store_id"].decode(Int64?.self), enabled: try row["enabled"].decode(Bool.self),
            disabledReason: try row["disabled_reason"].decode(String?.self),
            createdAt: try timestamp(row["created_at"]), updatedAt: try timestamp(row["updated_at"]))
    }

    static func delivery(_ row: PostgresRandomAccessRow) throws -> WebhookDelivery {
        WebhookDelivery(
            id: try row["id"].decode(Int64.self), webhookID: try row["webhook_id"].decode(Int64.self),
            eventID: try row["event_id"].decode(String.self),
            eventType: EventType(rawValue: try row["event_type"].decode(String.self)) ?? .movementRecorded,
            state: WebhookDeliveryState(rawValue: try row["state"].decode(String.self)) ?? .pending,
            attempts: try row["attempts"].decode(Int.self),
            nextAttemptAt: try optionalTimestamp(row["next_attempt_at"]),
            lastAttemptAt: try optionalTimestamp(row["last_attempt_at"]),
            lastStatus: try row["last_status"].decode(Int?.self), lastError: try row["last_error"].decode(String?.self),
            createdAt: try timestamp(row["created_at"]), deliveredAt: try optionalTimestamp(row["delivered_at"]))
    }
}

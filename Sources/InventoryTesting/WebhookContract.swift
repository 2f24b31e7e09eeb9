import Foundation
import InventoryCore
import Testing

/// Webhook endpoints and their delivery queue, as every backend must keep them: endpoints audited
/// without their secret, a fan-out cursor that moves once however many instances race for it,
/// claims that no two workers share until their lease ends, and attempts recorded as the
/// receiver answered (a 410 disables the endpoint; a dead delivery can be retried by hand).
public struct WebhookContract<Storage: InventoryStorage>: Sendable {
    public enum Check: String, ContractCheck {
        case endpointsAreKeptAndAuditedWithoutTheirSecret
        case theFanOutCursorMovesOnce
        case concurrentClaimsNeverShareADelivery
        case attemptsAreRecordedAsTheReceiverAnswered
    }

    let storage: Storage
    let time: ManualTime

    public init(storage: Storage, time: ManualTime) {
        self.storage = storage
        self.time = time
    }

    public func run(_ check: Check) async throws {
        switch check {
        case .endpointsAreKeptAndAuditedWithoutTheirSecret: try await endpointsAreKeptAndAuditedWithoutTheirSecret()
        case .theFanOutCursorMovesOnce: try await theFanOutCursorMovesOnce()
        case .concurrentClaimsNeverShareADelivery: try await concurrentClaimsNeverShareADelivery()
        case .attemptsAreRecordedAsTheReceiverAnswered: try await attemptsAreRecordedAsTheReceiverAnswered()
        }
    }

    static var secret: String { "whsec_dGhpcyBpcyBhIHRlc3Qgc2VjcmV0IG9mIDMyIGJ5dGVz" }

    func endpoint(_ types: [EventType] = [.movementRecorded], storeID: Int64? = nil) async throws -> Webhook {
        try await storage.createWebhook(
            WebhookDraft(url: "https://example.com/hooks", eventTypes: types, storeID: storeID),
            secret: Self.secret, by: .test)
    }

    /// Queues `count` deliveries to `webhook` by moving the cursor on from where it is.
    func queue(_ count: Int, to webhook: Webhook, startingAt first: Int64 = 1) async throws {
        let from = try await storage.webhookCursor()
        let deliveries = (0..<Int64(count)).map { offset in
            NewWebhookDelivery(
                webhookID: webhook.id, eventID: "0-\(first + offset)", eventType: .movementRecorded,
                body: #"{"n":\#(first + offset)}"#)
        }
        let to = EventPosition(transaction: from.transaction, id: from.id + Int64(count))
        #expect(try await storage.enqueueWebhookDeliveries(deliveries, from: from, to: to))
    }

    func deliveries(_ webhook: Webhook, _ state: WebhookDeliveryState? = nil) async throws -> [WebhookDelivery] {
        try await storage.webhookDeliveries(
            WebhookDeliveryQuery(webhookID: webhook.id, state: state, page: PageRequest(limit: 500))
        ).items
    }
}

extension WebhookContract {
    func endpointsAreKeptAndAuditedWithoutTheirSecret() async throws {
        // Given an endpoint for store 1's movements
        let made = try await endpoint([.stockChanged, .movementRecorded, .movementRecorded], storeID: 1)
        #expect(made.eventTypes == [.movementRecorded, .stockChanged])
        #expect(made.enabled && made.storeID == 1)
        #expect(try await storage.webhooks() == [made])
        #expect(try await storage.webhook(id: made.id) == made)

        // When it is disabled, then enabled for every store
        time.advance(by: .seconds(1))
        let disabled = try await storage.updateWebhook(id: made.id, WebhookPatch(enabled: false), by: .test)
        #expect(!disabled.enabled && disabled.updatedAt > made.updatedAt)
        let everyStore = try await storage.updateWebhook(
            id: made.id, WebhookPatch(storeID: .some(nil), enabled: true), by: .test)
        #expect(everyStore.enabled && everyStore.storeID == nil && everyStore.url == made.url)

        // Then a store that does not exist is refused, and deleting it takes its deliveries
        await #expect(throws: InventoryError.storeNotFound(id: 99)) {
            try await storage.updateWebhook(id: made.id, WebhookPatch(storeID: .some(99)), by: .test)
        }
        try await queue(2, to: everyStore)
        try await storage.deleteWebhook(id: made.id, by: .test)
        #expect(try await storage.webhooks().isEmpty)
        await #expect(throws: InventoryError.webhookNotFound(id: made.id)) {
            try await storage.webhookDeliveries(
                WebhookDeliveryQuery(webhookID: made.id, page: PageRequest(limit: 10)))
        }
        #expect(try await storage.claimWebhookDeliveries(limit: 10, now: time.now, leaseUntil: time.now).isEmpty)

        // And the audit log has each change, never the secret
        let entries = try await storage.auditEntries(AuditQuery(entityType: "webhook", page: PageRequest(limit: 50)))
            .items
        #expect(
            entries.map(\.record.action).sorted() == [
                "webhook.create", "webhook.delete", "webhook.update", "webhook.update",
            ])
        for entry in entries {
            #expect(!(entry.record.before ?? "").contains(Self.secret.dropFirst(6)))
            #expect(!(entry.record.after ?? "").contains(Self.secret.dropFirst(6)))
        }
        // And each change is an event for administrators only, without the secret (on PostgreSQL
        // the last may wait for another database's open transaction, so the log is read until complete)
        let types: Set<EventType> = [.webhookCreated, .webhookUpdated, .webhookDeleted]
        var events: [Event] = []
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while events.count < 4 && ContinuousClock.now < deadline {
            events = try await storage.events(
                EventQuery(after: .start, scope: .all, administrator: true, types: types, limit: 100)
            ).events
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(events.map(\.type) == [.webhookCreated, .webhookUpdated, .webhookUpdated, .webhookDeleted])
        #expect(events.allSatisfy { $0.audience == .administrators && !$0.payload.contains(Self.secret.dropFirst(6)) })
        let readers = try await storage.events(
            EventQuery(after: .start, scope: .all, administrator: false, types: types, limit: 100))
        #expect(readers.events.isEmpty)
    }

    func theFanOutCursorMovesOnce() async throws {
        let webhook = try await endpoint()
        #expect(try await storage.webhookCursor() == .start)
        let delivery = NewWebhookDelivery(
            webhookID: webhook.id, eventID: "0-7", eventType: .movementRecorded, body: "{}")
        let to = EventPosition(transaction: 0, id: 7)

        // Two instances race to move the cursor from the start: one wins, the other queues nothing
        async let first = storage.enqueueWebhookDeliveries([delivery], from: .start, to: to)
        async let second = storage.enqueueWebhookDeliveries([delivery], from: .start, to: to)
        let won = try await [first, second]
        #expect(won.filter { $0 }.count == 1)
        #expect(try await storage.webhookCursor() == to)
        let queued = try await deliveries(webhook)
        #expect(queued.map(\.eventID) == ["0-7"])
        #expect(queued.map(\.state) == [.pending] && queued.map(\.attempts) == [0])
    }

    func concurrentClaimsNeverShareADelivery() async throws {
        // Given 60 deliveries due now
        let webhook = try await endpoint()
        try await queue(60, to: webhook)
        let now = time.now
        let lease = now.addingTimeInterval(15)

        // When eight workers claim five at a time until none are left
        let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var mine: [Int64] = []
                    while true {
                        let claimed = try await storage.claimWebhookDeliveries(limit: 5, now: now, leaseUntil: lease)
                        if claimed.isEmpty { return mine }
                        mine += claimed.map(\.delivery.id)
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }

        // Then each was claimed exactly once, with its body, secret and a counted attempt
        #expect(claims.count == 60 && Set(claims).count == 60)
        #expect(try await deliveries(webhook).allSatisfy { $0.attempts == 1 && $0.state == .pending })
        // And nobody claims them again until the lease ends; then they are due once more
        time.advance(by: .seconds(14))
        #expect(try await storage.claimWebhookDeliveries(limit: 100, now: time.now, leaseUntil: lease).isEmpty)
        time.advance(by: .seconds(2))
        let again = try await storage.claimWebhookDeliveries(
            limit: 100, now: time.now, leaseUntil: time.now.addingTimeInterval(15))
        #expect(again.count == 60 && again.allSatisfy { $0.delivery.attempts == 2 })
        #expect(again.first?.secret == Self.secret && again.first?.url == webhook.url)
        #expect(again.map(\.body).contains(#"{"n":1}"#))
    }

    func attemptsAreRecordedAsTheReceiverAnswered() async throws {
        let webhook = try await endpoint()
        try await queue(4, to: webhook)
        let claimed = try await storage.claimWebhookDeliveries(
            limit: 10, now: time.now, leaseUntil: time.now.addingTimeInterval(15))
        #expect(claimed.count == 4)
        let ids = claimed.map(\.delivery.id)
        let now = time.now

        // Delivered, failed with a retry, failed for the last time
        try await storage.recordWebhookAttempt(
            deliveryID: ids[0], WebhookAttempt(outcome: .delivered, status: 204, error: nil, at: now))
        try await storage.recordWebhookAttempt(
            deliveryID: ids[1],
            WebhookAttempt(outcome: .retry(at: now.addingTimeInterval(5)), status: 500, error: nil, at: now))
        try await storage.recordWebhookAttempt(
            deliveryID: ids[2], WebhookAttempt(outcome: .dead, status: nil, error: "connection refused", at: now))
        // A late answer for a delivery already delivered changes nothing
        try await storage.recordWebhookAttempt(
            deliveryID: ids[0], WebhookAttempt(outcome: .dead, status: 500, error: nil, at: now))
        var byID = Dictionary(uniqueKeysWithValues: try await deliveries(webhook).map { ($0.id, $0) })
        #expect(byID[ids[0]]?.state == .delivered && byID[ids[0]]?.lastStatus == 204)
        #expect(byID[ids[0]]?.deliveredAt == now)
        #expect(byID[ids[1]]?.state == .pending && byID[ids[1]]?.nextAttemptAt == now.addingTimeInterval(5))
        #expect(byID[ids[2]]?.state == .dead && byID[ids[2]]?.lastError == "connection refused")
        #expect(try await deliveries(webhook, .dead).map(\.id) == [ids[2]])

        // A 410 kills the delivery and disables the endpoint: nothing of it is claimed while disabled
        try await storage.recordWebhookAttempt(
            deliveryID: ids[3], WebhookAttempt(outcome: .gone, status: 410, error: nil, at: now))
        let gone = try await storage.webhook(id: webhook.id)
        #expect(!gone.enabled && gone.disabledReason != nil)
        time.advance(by: .seconds(6))
        #expect(try await storage.claimWebhookDeliveries(limit: 10, now: time.now, leaseUntil: time.now).isEmpty)

        // Enabling it clears the reason; the pending retry is then claimed, and a dead one retried by hand
        let enabled = try await storage.updateWebhook(id: webhook.id, WebhookPatch(enabled: true), by: .test)
        #expect(enabled.enabled && enabled.disabledReason == nil)
        let retried = try await storage.retryWebhookDelivery(webhookID: webhook.id, deliveryID: ids[2], by: .test)
        #expect(retried.state == .pending && retried.attempts == 0 && retried.nextAttemptAt == time.now)
        let pending = try await storage.retryWebhookDelivery(webhookID: webhook.id, deliveryID: ids[1], by: .test)
        #expect(pending == byID[ids[1]])
        let due = try await storage.claimWebhookDeliveries(
            limit: 10, now: time.now, leaseUntil: time.now.addingTimeInterval(15))
        #expect(Set(due.map(\.delivery.id)) == [ids[1], ids[2]])
        #expect(due.first { $0.delivery.id == ids[2] }?.scheduledFrom == time.now)
        await #expect(throws: InventoryError.webhookDeliveryNotFound(webhookID: webhook.id, deliveryID: 999_999)) {
            try await storage.retryWebhookDelivery(webhookID: webhook.id, deliveryID: 999_999, by: .test)
        }
        byID = Dictionary(uniqueKeysWithValues: try await deliveries(webhook).map { ($0.id, $0) })
        #expect(byID[ids[0]]?.state == .delivered)
    }
}

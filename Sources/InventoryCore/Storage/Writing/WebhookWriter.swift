import Foundation

/// Keeps webhook endpoints and the queue of deliveries to them.
public protocol WebhookWriter: Sendable {
    /// Makes an endpoint signing with `secret`; `webhookLimitReached` past `Limits.webhooksMax`.
    func createWebhook(_ draft: WebhookDraft, secret: String, by context: ChangeContext) async throws -> Webhook
    func updateWebhook(id: Int64, _ patch: WebhookPatch, by context: ChangeContext) async throws -> Webhook
    /// Deletes an endpoint and its deliveries.
    func deleteWebhook(id: Int64, by context: ChangeContext) async throws
    /// Sends a delivery that is not pending back to the queue, due now, with a fresh retry schedule;
    /// a pending one is answered as it is.
    func retryWebhookDelivery(webhookID: Int64, deliveryID: Int64, by context: ChangeContext) async throws
        -> WebhookDelivery

    /// Queues `deliveries` and moves the fan-out's cursor from `from` to `to`, in one transaction;
    /// false (and nothing queued) when the cursor is no longer at `from` (another instance moved it).
    func enqueueWebhookDeliveries(_ deliveries: [NewWebhookDelivery], from: EventPosition, to: EventPosition)
        async throws -> Bool
    /// Claims up to `limit` pending deliveries that are due at `now` and whose endpoint is enabled,
    /// oldest due first, for one attempt each: each attempt is counted and nobody else claims them
    /// before `leaseUntil` (instances skip the rows another is claiming, never wait for them).
    func claimWebhookDeliveries(limit: Int, now: Date, leaseUntil: Date) async throws -> [ClaimedWebhookDelivery]
    /// Records how an attempt ended; a 410 also disables the endpoint. A delivery no longer pending
    /// (delivered by another attempt, or retried by hand meanwhile) is left as it is.
    func recordWebhookAttempt(deliveryID: Int64, _ attempt: WebhookAttempt) async throws
}

/// Reads webhook endpoints and their deliveries.
public protocol WebhookReader: Sendable {
    /// Every endpoint, oldest first (at most `Limits.webhooksMax`).
    func webhooks() async throws -> [Webhook]
    /// `webhookNotFound` when no endpoint has this id.
    func webhook(id: Int64) async throws -> Webhook
    /// An endpoint's deliveries, newest first; `webhookNotFound` when there is no such endpoint.
    func webhookDeliveries(_ query: WebhookDeliveryQuery) async throws -> Page<WebhookDelivery>
    /// Where the webhook fan-out has read the event log to.
    func webhookCursor() async throws -> EventPosition
}

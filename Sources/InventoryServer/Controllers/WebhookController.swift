import Hummingbird
import InventoryCore

/// `/v1/webhooks` (admins only): endpoints, their deliveries, and retrying a dead delivery by hand.
struct WebhookController<Webhooks: WebhookReader & WebhookWriter> {
    let webhooks: Webhooks
    let targets: WebhookTargets

    func addRoutes(to v1: RouterGroup<AuthenticatedContext>) {
        v1.group("webhooks")
            .get(use: list)
            .post(use: create)
            .get(":webhook_id", use: show)
            .patch(":webhook_id", use: update)
            .delete(":webhook_id", use: remove)
            .get(":webhook_id/deliveries", use: deliveries)
            .post(":webhook_id/deliveries/:delivery_id/retry", use: retry)
    }

    @Sendable func list(request: Request, context: AuthenticatedContext) async throws -> WebhookListWire {
        _ = try context.authorize(.manageWebhooks)
        return WebhookListWire(items: try await webhooks.webhooks().map { WebhookWire($0) })
    }

    /// The answer carries the secret; it is never shown again.
    @Sendable func create(request: Request, context: AuthenticatedContext) async throws -> EditedResponse<WebhookWire> {
        let caller = try context.authorize(.manageWebhooks)
        let draft = try await request.decodeJSON(WebhookBody.self, context: context).draft()
        try targets.checkSaved(draft.url)
        let secret = WebhookSignature.newSecret()
        let webhook = try await webhooks.createWebhook(draft, secret: secret, by: caller.change)
        return EditedResponse(status: .created, response: WebhookWire(webhook, secret: secret))
    }

    @Sendable func show(request: Request, context: AuthenticatedContext) async throws -> WebhookWire {
        _ = try context.authorize(.manageWebhooks)
        let id = try RequestParameters(request: request, context: context).pathID("webhook_id")
        return WebhookWire(try await webhooks.webhook(id: id))
    }

    @Sendable func update(request: Request, context: AuthenticatedContext) async throws -> WebhookWire {
        let caller = try context.authorize(.manageWebhooks)
        let id = try RequestParameters(request: request, context: context).pathID("webhook_id")
        let patch = try await request.decodeJSON(WebhookBody.self, context: context).patch()
        if let url = patch.url { try targets.checkSaved(url) }
        return WebhookWire(try await webhooks.updateWebhook(id: id, patch, by: caller.change))
    }

    @Sendable func remove(request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        let caller = try context.authorize(.manageWebhooks)
        let id = try RequestParameters(request: request, context: context).pathID("webhook_id")
        try await webhooks.deleteWebhook(id: id, by: caller.change)
        return .noContent
    }

    @Sendable func deliveries(request: Request, context: AuthenticatedContext) async throws
        -> PageWire<WebhookDeliveryWire>
    {
        _ = try context.authorize(.manageWebhooks)
        let parameters = RequestParameters(request: request, context: context)
        let state = try parameters.string("state").map { text in
            guard let state = WebhookDeliveryState(rawValue: text) else {
                throw RequestError.malformed("state must be pending, delivered or dead")
            }
            return state
        }
        let query = WebhookDeliveryQuery(
            webhookID: try parameters.pathID("webhook_id"), state: state, page: try parameters.page())
        return PageWire(try await webhooks.webhookDeliveries(query), transform: WebhookDeliveryWire.init)
    }

    @Sendable func retry(request: Request, context: AuthenticatedContext) async throws -> WebhookDeliveryWire {
        let caller = try context.authorize(.manageWebhooks)
        let parameters = RequestParameters(request: request, context: context)
        return WebhookDeliveryWire(
            try await webhooks.retryWebhookDelivery(
                webhookID: try parameters.pathID("webhook_id"), deliveryID: try parameters.pathID("delivery_id"),
                by: caller.change))
    }
}

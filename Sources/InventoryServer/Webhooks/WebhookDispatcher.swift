import AsyncHTTPClient
import Foundation
import InventoryCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// How this instance sends webhooks.
public struct WebhookConfiguration: Sendable {
    public var targets: WebhookTargets
    /// How long one attempt may take, connection included (`--webhook-timeout`).
    public var timeout: Duration
    public var retry: WebhookRetryPolicy
    /// How often the dispatcher looks for due deliveries when nothing wakes it.
    public var pollInterval: Duration

    public init(
        allowPrivateTargets: Bool = false, timeout: Duration = Limits.webhookTimeoutDefault,
        retry: WebhookRetryPolicy = .standard, pollInterval: Duration = .seconds(1)
    ) {
        targets = WebhookTargets(allowPrivate: allowPrivateTargets)
        self.timeout = timeout
        self.retry = retry
        self.pollInterval = pollInterval
    }

    /// A claimed delivery is another instance's to take over once this has passed: an attempt
    /// ends by its timeout, and recording it takes moments.
    var lease: Duration { timeout + .seconds(5) }
}

/// Sends webhooks, as one `Service` per instance:
/// - the fan-out reads the event log after its durable cursor and queues a delivery for each
///   (event, endpoint that wants it), moving the cursor in the same transaction;
/// - the sender claims due deliveries (skipping those another instance holds), POSTs each with its
///   Standard Webhooks signature, and records the answer: 2xx delivered, 410 dead with the endpoint
///   disabled, anything else retried by `WebhookRetryPolicy` until the last attempt leaves it dead.
/// At least once: a sender that dies mid-attempt leaves its claim to run out, and the delivery is sent again.
public struct WebhookDispatcher: Service {
    let storage: any WebhookReader & WebhookWriter & EventReader
    let hub: EventHub
    let configuration: WebhookConfiguration
    let time: any TimeSource
    let logger: Logger
    /// A fan-out is a write transaction: under a stream of writes, one per this at most.
    let passIntervalMin: Duration = .milliseconds(250)

    public init(
        storage: any WebhookReader & WebhookWriter & EventReader, hub: EventHub, configuration: WebhookConfiguration,
        time: any TimeSource = SystemTime(), logger: Logger
    ) {
        self.storage = storage
        self.hub = hub
        self.configuration = configuration
        self.time = time
        self.logger = logger
    }

    public func run() async throws {
        var clientConfiguration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .init(configuration.timeout)),
            decompression: .disabled)
        clientConfiguration.httpVersion = .http1Only
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        let inFlight = NIOLockedValueBox(0)
        await cancelWhenGracefulShutdown {
            // Attempts run beside the loop, so a slow receiver holds one slot, not every delivery.
            await withDiscardingTaskGroup { attempts in
                while !Task.isCancelled {
                    let generation = await hub.currentGeneration
                    var busy = false
                    var idle = false
                    do {
                        let endpoints = try await storage.webhooks().filter(\.enabled)
                        idle = endpoints.isEmpty
                        busy = try await fanOut(to: endpoints)
                        if !idle { busy = try await send(client, inFlight: inFlight, attempts: &attempts) || busy }
                    } catch {
                        logger.warning("webhook dispatcher failed a pass", metadata: ["error": "\(error)"])
                    }
                    // With no endpoint there is nothing to hurry for: one pass per poll, whatever is written.
                    if idle {
                        try? await Task.sleep(for: configuration.pollInterval)
                        continue
                    }
                    try? await Task.sleep(for: passIntervalMin)
                    if !busy { await hub.waitForChange(since: generation, timeout: configuration.pollInterval) }
                }
            }
        }
        try? await client.shutdown()
    }

    /// Queues the deliveries of the next events; true when there may be more to read.
    func fanOut(to endpoints: [Webhook]) async throws -> Bool {
        let cursor = try await storage.webhookCursor()
        guard !endpoints.isEmpty else {
            // Nobody to deliver to: keep up with the log, so a new endpoint starts from now.
            let latest = try await storage.latestEventPosition()
            if latest > cursor { _ = try await storage.enqueueWebhookDeliveries([], from: cursor, to: latest) }
            return false
        }
        let batchSize = 500
        let batch: EventBatch
        do {
            batch = try await storage.events(
                EventQuery(after: cursor, scope: .all, administrator: true, limit: batchSize))
        } catch InventoryError.eventsPruned(let prunedThrough) {
            logger.error(
                "webhook fan-out fell behind the event log's retention; pruned events were not delivered",
                metadata: ["cursor": "\(cursor)", "pruned_through": "\(prunedThrough)"])
            _ = try await storage.enqueueWebhookDeliveries([], from: cursor, to: prunedThrough)
            return true
        }
        guard batch.reachedPosition > cursor else { return false }
        var deliveries: [NewWebhookDelivery] = []
        for event in batch.events {
            for endpoint in endpoints where endpoint.accepts(event) {
                deliveries.append(
                    NewWebhookDelivery(
                        webhookID: endpoint.id, eventID: event.position.description, eventType: event.type,
                        body: EventWire.json(event)))
            }
        }
        _ = try await storage.enqueueWebhookDeliveries(deliveries, from: cursor, to: batch.reachedPosition)
        return batch.events.count == batchSize
    }

    /// Starts attempts of the deliveries due now, so that at most `Limits.webhookConcurrentDeliveriesMax`
    /// are under way; true when every slot is taken (there may be more due, looked for again shortly).
    func send(
        _ client: HTTPClient, inFlight: NIOLockedValueBox<Int>, attempts: inout DiscardingTaskGroup
    ) async throws -> Bool {
        let free = Limits.webhookConcurrentDeliveriesMax - inFlight.withLockedValue { $0 }
        guard free > 0 else { return true }
        let now = time.now
        let claimed = try await storage.claimWebhookDeliveries(
            limit: free, now: now, leaseUntil: now.addingTimeInterval(configuration.lease.timeInterval))
        inFlight.withLockedValue { $0 += claimed.count }
        for delivery in claimed {
            attempts.addTask {
                defer { inFlight.withLockedValue { $0 -= 1 } }
                let attempt = await self.attempt(delivery, client: client)
                do {
                    try await storage.recordWebhookAttempt(deliveryID: delivery.delivery.id, attempt)
                } catch {
                    logger.warning(
                        "could not record a webhook attempt; it will be sent again",
                        metadata: ["delivery": "\(delivery.delivery.id)", "error": "\(error)"])
                }
            }
        }
        return claimed.count == free
    }

    /// One POST, and what follows from its answer.
    func attempt(_ claimed: ClaimedWebhookDelivery, client: HTTPClient) async -> WebhookAttempt {
        let (status, error) = await post(claimed, client: client)
        let now = time.now
        let outcome: WebhookAttempt.Outcome
        if let status, (200..<300).contains(status) {
            outcome = .delivered
        } else if status == 410 {
            outcome = .gone
            // The URL is not logged: receivers sometimes carry a token in it.
            logger.warning(
                "webhook receiver answered 410 Gone; endpoint disabled",
                metadata: ["webhook": "\(claimed.delivery.webhookID)"])
        } else if let next = configuration.retry.nextAttempt(
            afterFailures: claimed.delivery.attempts, scheduledFrom: claimed.scheduledFrom, now: now,
            random: Double.random(in: 0...1))
        {
            outcome = .retry(at: next)
        } else {
            outcome = .dead
        }
        return WebhookAttempt(outcome: outcome, status: status, error: error, at: now)
    }

    /// The receiver's status, or why there was none.
    func post(_ claimed: ClaimedWebhookDelivery, client: HTTPClient) async -> (status: Int?, error: String?) {
        if let refusal = await configuration.targets.refusalBeforeSending(claimed.url) { return (nil, refusal) }
        let timestamp = Int(time.now.timeIntervalSince1970)
        let id = claimed.delivery.eventID
        var request = HTTPClientRequest(url: claimed.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "godown-webhooks")
        request.headers.add(name: "webhook-id", value: id)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(
            name: "webhook-signature",
            value: WebhookSignature.sign(secret: claimed.secret, id: id, timestamp: timestamp, body: claimed.body))
        request.body = .bytes(ByteBuffer(string: claimed.body))
        do {
            let response = try await client.execute(request, timeout: .init(configuration.timeout))
            // The answer's body is not used; read a bounded part so the connection can be reused.
            _ = try? await response.body.collect(upTo: Limits.webhookResponseBytesMax)
            return (Int(response.status.code), nil)
        } catch {
            return (nil, String(describing: error))
        }
    }
}

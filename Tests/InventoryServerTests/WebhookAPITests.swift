import Foundation
import HTTPTypes
import HummingbirdTesting
import InventoryCore
import InventoryTestBackends
import InventoryTesting
import Testing

@testable import InventoryServer

/// Webhooks end to end: the API, the dispatcher and a real receiver over real sockets.
@Suite struct WebhookAPITests {
    /// Loopback receivers allowed, short timeouts, and retries a test can wait for. The schedule's end
    /// counts from the delivery's creation on the test's clock, which stands at the test's start, so
    /// it leaves room for a slow machine to make a few attempts.
    static let quick = WebhookConfiguration(
        allowPrivateTargets: true, timeout: .seconds(2),
        retry: WebhookRetryPolicy(
            delays: [.milliseconds(200), .milliseconds(400)], thenEvery: .milliseconds(500), horizon: .seconds(8),
            jitter: 0.2),
        pollInterval: .milliseconds(100))

    /// As `quick`, but a delivery keeps being retried for a minute.
    static var patient: WebhookConfiguration {
        var configuration = quick
        configuration.retry.horizon = .seconds(60)
        return configuration
    }

    struct DeliveryPage: Decodable {
        var items: [WebhookDeliveryWire]
    }

    /// Makes an endpoint and returns it with its secret.
    static func endpoint(
        _ client: any TestClientProtocol, url: String, types: String = #"["movement.recorded","stock.changed"]"#,
        store: String = "null"
    ) async throws -> WebhookWire {
        let response = try await client.send(
            .post, "/v1/webhooks", json: #"{"url":"\#(url)","event_types":\#(types),"store_id":\#(store)}"#)
        #expect(response.status == .created)
        return try response.decode(WebhookWire.self)
    }

    /// The endpoint's deliveries once `condition` holds for them (or thirty seconds pass).
    static func deliveries(
        _ client: any TestClientProtocol, _ webhookID: Int64, until condition: ([WebhookDeliveryWire]) -> Bool
    ) async throws -> [WebhookDeliveryWire] {
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while true {
            let response = try await client.send(.get, "/v1/webhooks/\(webhookID)/deliveries?limit=500")
            #expect(response.status == .ok)
            let items = try response.decode(DeliveryPage.self).items
            if condition(items) || ContinuousClock.now > deadline { return items }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test(arguments: TestBackend.allCases)
    func everyEventArrivesSignedAtAReceiver(backend: TestBackend) async throws {
        let receiver = WebhookReceiver()
        try await receiver.serve { port in
            try await withAPI(backend, .live, webhooks: Self.quick) { client, _ in
                // Given an endpoint for store 1's movements and stock, and its secret shown once
                try await client.createProduct("RICE")
                let webhook = try await Self.endpoint(client, url: "http://127.0.0.1:\(port)/hooks", store: "1")
                let secret = try #require(webhook.secret)
                #expect(secret.hasPrefix("whsec_"))
                let listed = try await client.send(.get, "/v1/webhooks")
                #expect(listed.status == .ok && !listed.text.contains(secret) && listed.text.contains(webhook.url))

                // When 20 movements are recorded (and a product created, which it did not ask for)
                for _ in 0..<20 {
                    #expect(
                        try await client.move(#"{"sku":"RICE","kind":"stock_in","quantity":"1"}"#).status == .created)
                }
                try await client.createProduct("DAL")

                // Then the receiver gets 40 events, each once, each signed, its id the event's
                let received = try await receiver.waitFor { $0.count >= 40 }
                #expect(received.count == 40)
                #expect(received.allSatisfy { WebhookReceiver.verify($0, secret: secret) })
                #expect(Set(received.map(\.id)).count == 40)
                #expect(received.allSatisfy { $0.body.contains(#""id":"\#($0.id)""#) && $0.path == "/hooks" })
                let now = Int(Date().timeIntervalSince1970)
                #expect(received.allSatisfy { abs((Int($0.timestamp) ?? 0) - now) < 60 })
                let types = Dictionary(grouping: received) { delivery in
                    delivery.body.contains(#""type":"movement.recorded""#) ? "movement" : "stock"
                }
                #expect(types["movement"]?.count == 20 && types["stock"]?.count == 20)
                // A tampered body fails the check
                var forged = received[0]
                forged.body = forged.body.replacingOccurrences(of: "RICE", with: "GOLD")
                #expect(!WebhookReceiver.verify(forged, secret: secret))
                // And the endpoint's deliveries say so
                let listing = try await Self.deliveries(client, webhook.id) {
                    $0.allSatisfy { $0.state == "delivered" }
                }
                #expect(listing.count == 40 && listing.allSatisfy { $0.state == "delivered" && $0.lastStatus == 204 })
            }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func aReceiverThatIsDownThenUpGetsEveryEvent(backend: TestBackend) async throws {
        // A port on which nothing listens (yet)
        let port = try await WebhookReceiver().serve { $0 }
        try await withAPI(backend, .live, webhooks: Self.patient) { client, _ in
            try await client.createProduct("RICE")
            let webhook = try await Self.endpoint(
                client, url: "http://127.0.0.1:\(port)/down", types: #"["stock.changed"]"#)
            for _ in 0..<5 {
                #expect(try await client.move(#"{"sku":"RICE","kind":"stock_in","quantity":"1"}"#).status == .created)
            }
            // While it is down, attempts fail and wait for their retry
            let failing = try await Self.deliveries(client, webhook.id) { items in
                items.count == 5 && items.allSatisfy { $0.attempts >= 1 && $0.lastError != nil }
            }
            #expect(failing.count == 5 && failing.allSatisfy { $0.state == "pending" && $0.lastError != nil })

            // Once it is up, each event arrives
            let receiver = WebhookReceiver()
            try await receiver.serve(port: port) { _ in
                let received = try await receiver.waitFor { Set($0.map(\.id)).count >= 5 }
                #expect(Set(received.map(\.id)) == Set(failing.map(\.eventID)))
                #expect(received.allSatisfy { WebhookReceiver.verify($0, secret: webhook.secret ?? "") })
            }
            let delivered = try await Self.deliveries(client, webhook.id) { $0.allSatisfy { $0.state == "delivered" } }
            #expect(delivered.allSatisfy { $0.state == "delivered" && $0.attempts >= 2 })
        }
    }

    @Test(arguments: TestBackend.allCases)
    func goneDisablesAndDeadIsRetriedByHand(backend: TestBackend) async throws {
        let receiver = WebhookReceiver()
        await receiver.answer(500, at: "/failing")
        await receiver.answer(410, at: "/gone")
        try await receiver.serve { port in
            try await withAPI(backend, .live, webhooks: Self.quick) { client, _ in
                // Given one receiver that fails every time and one that is gone
                let failing = try await Self.endpoint(
                    client, url: "http://127.0.0.1:\(port)/failing", types: #"["product.created"]"#)
                let gone = try await Self.endpoint(
                    client, url: "http://127.0.0.1:\(port)/gone", types: #"["product.created"]"#)
                try await client.createProduct("RICE")

                // Then the failing delivery dies after its schedule, the gone one at once, disabling its endpoint
                let dead = try await Self.deliveries(client, failing.id) { $0.first?.state == "dead" }
                #expect(
                    dead.count == 1 && dead[0].state == "dead" && dead[0].lastStatus == 500 && dead[0].attempts >= 2)
                let goneDelivery = try await Self.deliveries(client, gone.id) { $0.first?.state == "dead" }
                #expect(goneDelivery.first?.lastStatus == 410 && goneDelivery.first?.attempts == 1)
                let disabled = try await client.send(.get, "/v1/webhooks/\(gone.id)").decode(WebhookWire.self)
                #expect(!disabled.enabled && disabled.disabledReason?.contains("410") == true)
                try await client.createProduct("DAL")
                let attempts = await receiver.deliveries.filter { $0.path == "/gone" }.count
                #expect(attempts == 1)

                // When the receiver is fixed, a dead delivery retried by hand arrives
                await receiver.answer(200, at: "/failing")
                let retried = try await client.send(
                    .post, "/v1/webhooks/\(failing.id)/deliveries/\(dead[0].id)/retry")
                #expect(retried.status == .ok)
                #expect(try retried.decode(WebhookDeliveryWire.self).state == "pending")
                let after = try await Self.deliveries(client, failing.id) { items in
                    items.first { $0.id == dead[0].id }?.state == "delivered"
                }
                #expect(after.first { $0.id == dead[0].id }?.lastStatus == 200)
                // And the endpoint is re-enabled by a PATCH; unknown deliveries are 404
                let enabled = try await client.send(.patch, "/v1/webhooks/\(gone.id)", json: #"{"enabled":true}"#)
                #expect(try enabled.decode(WebhookWire.self).disabledReason == nil)
                let missing = try await client.send(.post, "/v1/webhooks/\(gone.id)/deliveries/\(dead[0].id)/retry")
                #expect(missing.status == .notFound)
                #expect(try missing.problem().type.hasSuffix("webhook-delivery-not-found"))
            }
        }
    }

    @Test func privateTargetsAndBadEndpointsAreRefused() async throws {
        try await withAPI(.sqlite) { client, _ in
            for url in [
                "http://127.0.0.1:9/x", "http://localhost/x", "http://[::1]/x", "http://10.1.2.3/x",
                "http://192.168.1.10/x", "http://169.254.169.254/latest/meta-data", "ftp://example.com/x",
                "https://user:pass@example.com/x", "not a url",
            ] {
                let response = try await client.send(
                    .post, "/v1/webhooks", json: #"{"url":"\#(url)","event_types":["stock.changed"]}"#)
                #expect(response.status == .unprocessableContent, "\(url)")
            }
            let unknownType = try await client.send(
                .post, "/v1/webhooks", json: #"{"url":"https://example.com/x","event_types":["stock.exploded"]}"#)
            #expect(unknownType.status == .unprocessableContent)
            let noTypes = try await client.send(
                .post, "/v1/webhooks", json: #"{"url":"https://example.com/x","event_types":[]}"#)
            #expect(noTypes.status == .unprocessableContent)
            let noStore = try await client.send(
                .post, "/v1/webhooks",
                json: #"{"url":"https://example.com/x","event_types":["stock.changed"],"store_id":9}"#)
            #expect(noStore.status == .notFound)
            let made = try await Self.endpoint(client, url: "https://example.com/x")
            let moved = try await client.send(
                .patch, "/v1/webhooks/\(made.id)", json: #"{"url":"http://127.0.0.2/x"}"#)
            #expect(moved.status == .unprocessableContent)
            #expect(try await client.send(.delete, "/v1/webhooks/\(made.id)").status == .noContent)
            #expect(try await client.send(.get, "/v1/webhooks/\(made.id)").status == .notFound)
        }
    }

    @Test func theAddressCheckKnowsWhatIsPrivate() async throws {
        let targets = WebhookTargets(allowPrivate: false)
        #expect(await targets.refusalBeforeSending("http://127.0.0.1/x") != nil)
        #expect(await targets.refusalBeforeSending("http://[::ffff:10.0.0.1]/x") != nil)
        #expect(await targets.refusalBeforeSending("http://[fd00::1]/x") != nil)
        #expect(await targets.refusalBeforeSending("http://100.64.0.1/x") != nil)
        #expect(await targets.refusalBeforeSending("http://172.31.255.1/x") != nil)
        // A name is resolved before each attempt: localhost's addresses are loopback
        #expect(await targets.refusalBeforeSending("http://localhost./x") != nil)
        #expect(await targets.refusalBeforeSending("http://172.32.0.1/x") == nil)
        #expect(await targets.refusalBeforeSending("https://8.8.8.8/x") == nil)
        #expect(await WebhookTargets(allowPrivate: true).refusalBeforeSending("http://127.0.0.1/x") == nil)
    }

    @Test func signaturesMatchTheStandardWebhooksExample() {
        // The example in the Standard Webhooks specification.
        let signature = WebhookSignature.sign(
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
            timestamp: 1_614_265_330, body: #"{"test": 2432232314}"#)
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func retriesFollowTheScheduleThenStop() {
        let policy = WebhookRetryPolicy.standard
        let start = Date(timeIntervalSince1970: 1_000_000)
        var now = start
        var waits: [TimeInterval] = []
        var failures = 1
        while let next = policy.nextAttempt(afterFailures: failures, scheduledFrom: start, now: now, random: 0.5) {
            waits.append(next.timeIntervalSince(now))
            now = next
            failures += 1
        }
        #expect(waits == [5, 300, 1_800, 7_200, 18_000, 36_000, 86_400, 86_400])
        // Jitter stretches or shrinks each wait by up to a fifth
        let early = policy.nextAttempt(afterFailures: 2, scheduledFrom: start, now: start, random: 0)
        let late = policy.nextAttempt(afterFailures: 2, scheduledFrom: start, now: start, random: 1)
        #expect(early?.timeIntervalSince(start) == 240 && late?.timeIntervalSince(start) == 360)
    }
}

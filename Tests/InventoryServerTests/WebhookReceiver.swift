import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A real HTTP server on 127.0.0.1 that stands in for a customer's webhook receiver: it records
/// every POST and answers the status set for its path (204 unless told otherwise).
actor WebhookReceiver {
    struct Delivery: Sendable {
        var path: String
        var id: String
        var timestamp: String
        var signature: String
        var body: String
    }

    private(set) var deliveries: [Delivery] = []
    private var statuses: [String: Int] = [:]

    func answer(_ status: Int, at path: String) {
        statuses[path] = status
    }

    fileprivate func receive(_ delivery: Delivery) -> Int {
        deliveries.append(delivery)
        return statuses[delivery.path] ?? 204
    }

    /// Waits until `condition` holds for the deliveries received (up to `timeout`), and returns them.
    func waitFor(
        timeout: Duration = .seconds(20), _ condition: @Sendable ([Delivery]) -> Bool
    ) async throws -> [Delivery] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !condition(deliveries) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return deliveries
    }

    /// Serves on `port` (0: a free one) while `body` runs, and gives `body` the port.
    func serve<T: Sendable>(port: Int = 0, _ body: @Sendable (Int) async throws -> T) async throws -> T {
        let router = Router()
        router.post("**") { request, context -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let status = await self.receive(
                Delivery(
                    path: request.uri.path, id: request.headers[HTTPField.Name("webhook-id")!] ?? "",
                    timestamp: request.headers[HTTPField.Name("webhook-timestamp")!] ?? "",
                    signature: request.headers[HTTPField.Name("webhook-signature")!] ?? "",
                    body: String(buffer: body)))
            return Response(status: .init(code: status))
        }
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            let bound = await iterator.next() ?? 0
            let result = try await body(bound)
            group.cancelAll()
            return result
        }
    }

    /// True when `delivery` carries a valid Standard Webhooks signature by `secret`: checked here
    /// from the specification, not with the server's own signing code.
    static func verify(_ delivery: Delivery, secret: String) -> Bool {
        guard secret.hasPrefix("whsec_"), let key = Data(base64Encoded: String(secret.dropFirst(6))) else {
            return false
        }
        let signed = Data("\(delivery.id).\(delivery.timestamp).\(delivery.body)".utf8)
        let expected = Data(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key)))
        return delivery.signature.split(separator: " ").contains { "v1,\(expected.base64EncodedString())" == $0 }
    }
}

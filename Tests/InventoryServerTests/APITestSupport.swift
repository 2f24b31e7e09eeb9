import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InventoryCore
import InventoryDigest
import InventoryTestBackends
import InventoryTesting
import Logging
import Testing

@testable import InventoryServer

/// The access settings of API tests: a fixed signing key, the cheapest bcrypt cost, and limits no
/// ordinary test reaches (the rate-limit tests pass their own).
func testAccess(rateLimits: RateLimitConfiguration = .generous, accessTokenLifetime: Duration = .seconds(900))
    -> AccessConfiguration
{
    AccessConfiguration(
        tokenSigningKey: Array("a test signing key of at least thirty-two bytes".utf8),
        accessTokenLifetime: accessTokenLifetime, bcryptCost: 4, rateLimits: rateLimits)
}

extension RateLimitConfiguration {
    static let generous = RateLimitConfiguration(
        perPrincipal: TokenBucketRule(capacity: 100_000, refillEvery: .microseconds(10)),
        perAddress: TokenBucketRule(capacity: 100_000, refillEvery: .microseconds(10)),
        loginPerUsername: TokenBucketRule(capacity: 1_000, refillEvery: .milliseconds(1)),
        loginPerAddress: TokenBucketRule(capacity: 1_000, refillEvery: .milliseconds(1)))
}

/// Credentials a test request carries.
enum Credential: Sendable {
    /// The admin API key every `withAPI` database starts with.
    case admin
    case bearer(String)
    case basic(username: String, password: String)

    /// The secret of the admin key `withAPI` creates.
    static let adminKey = "gdk_test-admin-key-for-godown-tests"

    var header: String {
        switch self {
        case .admin: "Bearer \(Self.adminKey)"
        case .bearer(let token): "Bearer \(token)"
        case .basic(let username, let password): "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        }
    }
}

/// Runs `body` against the real router on a fresh database of `backend`, which holds an admin API
/// key (`Credential.admin`) that `send` uses unless told otherwise.
func withAPI(
    _ backend: TestBackend, _ setup: TestingSetup = .router, access: AccessConfiguration = testAccess(),
    connections: ConnectionLimits = ConnectionLimits(), time: ManualTime = ManualTime(),
    webhooks: WebhookConfiguration = WebhookConfiguration(),
    events: EventHub.Configuration = EventHub.Configuration(pollInterval: .milliseconds(50)),
    _ body: @Sendable (any TestClientProtocol, any InventoryStorage) async throws -> Void
) async throws {
    try await backend.withStorage(time: time) { storage in
        try await withAPI(
            storage: storage, setup, access: access, connections: connections, time: time, webhooks: webhooks,
            events: events
        ) { client in
            try await body(client, storage)
        }
    }
}

/// Runs `body` against the application Godown serves (with its connection limits, on a free port
/// when live) on `storage`, after giving it the admin API key `send` uses.
func withAPI(
    storage: some InventoryStorage, _ setup: TestingSetup = .router, access: AccessConfiguration = testAccess(),
    connections: ConnectionLimits = ConnectionLimits(), time: any TimeSource = ManualTime(),
    webhooks: WebhookConfiguration = WebhookConfiguration(),
    events: EventHub.Configuration = EventHub.Configuration(pollInterval: .milliseconds(50)),
    _ body: @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    var logger = Logger(label: "godown-test")
    logger.logLevel = .warning
    try await storage.createAPIKey(
        try APIKeyDraft(
            name: "test admin", role: .admin, storeIDs: [], prefix: "gdk_test",
            secretHash: Digest.sha256Hex(Credential.adminKey)), by: .test)
    let app = await GodownServer.buildApplication(
        storage: storage, configuration: .init(host: "127.0.0.1", port: 0, connections: connections), access: access,
        time: time,
        events: EventHub(reader: storage, configuration: events, logger: logger),
        eventRetention: EventRetention(maintenance: storage, retentionDays: 30, time: time, logger: logger),
        webhooks: webhooks, logger: logger)
    try await app.test(setup) { client in try await body(client) }
}

extension TestClientProtocol {
    /// Sends `json` (if any) with the given method and headers, as `credential` (nil: none).
    func send(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, headers: [String: String] = [:],
        as credential: Credential? = .admin
    ) async throws -> TestResponse {
        var fields = HTTPFields()
        if json != nil { fields[.contentType] = "application/json" }
        if let credential { fields[.authorization] = credential.header }
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        return try await executeRequest(
            uri: uri, method: method, headers: fields, body: json.map { ByteBuffer(string: $0) })
    }

    /// Creates a product and returns it.
    @discardableResult
    func createProduct(_ sku: String, unit: String = "piece", extra: String = "") async throws -> ProductWire {
        let response = try await send(
            .post, "/v1/products", json: #"{"sku":"\#(sku)","name":"Item \#(sku)","unit":"\#(unit)"\#(extra)}"#)
        #expect(response.status == .created)
        return try response.decode(ProductWire.self)
    }

    /// Records a movement in store 1 and returns the response.
    func move(_ json: String, key: String? = nil) async throws -> TestResponse {
        try await send(.post, "/v1/stores/1/movements", json: json, headers: key.map { ["Idempotency-Key": $0] } ?? [:])
    }
}

extension TestResponse {
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
    }

    /// The problem body, after checking the media type every error must carry.
    func problem(sourceLocation: SourceLocation = #_sourceLocation) throws -> Problem {
        #expect(headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        let problem = try decode(Problem.self)
        #expect(problem.status == Int(status.code), sourceLocation: sourceLocation)
        #expect(problem.requestID?.isEmpty == false, sourceLocation: sourceLocation)
        return problem
    }

    var text: String { String(buffer: body) }
}

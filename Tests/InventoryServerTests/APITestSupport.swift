import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InventoryCore
import InventoryServer
import InventoryTestBackends
import InventoryTesting
import Logging
import Testing

/// Runs `body` against the real router on a fresh database of `backend`.
func withAPI(
    _ backend: TestBackend, _ setup: TestingSetup = .router,
    _ body: @Sendable (any TestClientProtocol, any InventoryStorage) async throws -> Void
) async throws {
    try await backend.withStorage { storage in
        var logger = Logger(label: "godown-test")
        logger.logLevel = .warning
        let app = Application(router: GodownServer.buildRouter(storage: storage), logger: logger)
        try await app.test(setup) { client in try await body(client, storage) }
    }
}

extension TestClientProtocol {
    /// Sends `json` (if any) with the given method and headers.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, headers: [String: String] = [:]
    ) async throws -> TestResponse {
        var fields = HTTPFields()
        if json != nil { fields[.contentType] = "application/json" }
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        return try await executeRequest(uri: uri, method: method, headers: fields, body: json.map { ByteBuffer(string: $0) })
    }

    /// Creates a product and returns it.
    @discardableResult
    func createProduct(_ sku: String, unit: String = "piece", extra: String = "") async throws -> ProductWire {
        let response = try await send(.post, "/v1/products", json: #"{"sku":"\#(sku)","name":"Item \#(sku)","unit":"\#(unit)"\#(extra)}"#)
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

import Foundation
import Hummingbird
import HummingbirdTesting
import InventoryServer
import InventoryTestBackends
import Testing

/// The OpenAPI document describes exactly the routes the router serves: no more, no fewer.
@Suite struct OpenAPIDocumentTests {
    /// "GET /v1/products/{product}" for every operation under `paths:` in the document.
    static func documentedOperations() -> Set<String> {
        var operations = Set<String>()
        var path: String?
        var inPaths = false
        for line in OpenAPIDocument.text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty { inPaths = line == "paths:" }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     ") {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "patch", "delete", "head", "options"].contains(key) {
                    operations.insert("\(key.uppercased()) \(path)")
                }
            }
        }
        return operations
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() async throws {
        var routes = Set<String>()
        try await TemporarySQLite.with { storage, _ in
            routes = Set(
                await GodownServer.buildRouter(storage: storage, access: testAccess()).routes.map {
                    "\($0.method) \($0.path)"
                })
        }
        let documented = Self.documentedOperations()

        #expect(documented.count >= 14)
        #expect(routes.subtracting(documented).isEmpty, "routes missing from openapi.yaml")
        #expect(documented.subtracting(routes).isEmpty, "documented operations the router lacks")
    }

    @Test(arguments: TestBackend.allCases)
    func theDocumentIsServed(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            let response = try await client.send(.get, "/openapi.yaml")
            #expect(response.status == .ok)
            #expect(response.text.hasPrefix("openapi: 3.1.0"))
            let health = try await client.send(.get, "/health")
            #expect(health.status == .ok)
            #expect(health.text == #"{"database":"reachable","status":"ok"}"#)
        }
    }
}

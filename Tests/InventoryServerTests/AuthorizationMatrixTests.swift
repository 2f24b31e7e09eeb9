import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InventoryCore
import InventoryTestBackends
import InventoryTesting
import Testing

@testable import InventoryServer

/// Every route the router has, called by every role at its own store, at another store, and with no
/// credentials, answers as its permission says: a route added without an entry here fails the test.
@Suite struct AuthorizationMatrixTests {
    /// Who may call each route; `atStore` when the path's `{store_id}` must be one of theirs.
    struct Rule {
        var permission: Permission?
        var atStore = false
    }

    /// nil permission: open to anyone (operational routes and credential exchange).
    static let rules: [String: Rule] = [
        "GET /health": Rule(), "GET /ping": Rule(), "GET /openapi.yaml": Rule(),
        "POST /v1/auth/login": Rule(), "POST /v1/auth/refresh": Rule(), "POST /v1/auth/logout": Rule(),
        "GET /v1/me": Rule(permission: .readCatalog),
        "GET /v1/users": Rule(permission: .readAccess), "POST /v1/users": Rule(permission: .manageAccess),
        "GET /v1/users/{user_id}": Rule(permission: .readAccess),
        "PATCH /v1/users/{user_id}": Rule(permission: .manageAccess),
        "GET /v1/api-keys": Rule(permission: .readAccess), "POST /v1/api-keys": Rule(permission: .manageAccess),
        "DELETE /v1/api-keys/{key_id}": Rule(permission: .manageAccess),
        "GET /v1/audit": Rule(permission: .readAudit),
        "GET /v1/events": Rule(permission: .readStock),
        "GET /v1/alerts": Rule(permission: .readStock),
        "POST /v1/alerts/{alert_id}/acknowledge": Rule(permission: .setReorderLevel),
        "GET /v1/webhooks": Rule(permission: .manageWebhooks), "POST /v1/webhooks": Rule(permission: .manageWebhooks),
        "GET /v1/webhooks/{webhook_id}": Rule(permission: .manageWebhooks),
        "PATCH /v1/webhooks/{webhook_id}": Rule(permission: .manageWebhooks),
        "DELETE /v1/webhooks/{webhook_id}": Rule(permission: .manageWebhooks),
        "GET /v1/webhooks/{webhook_id}/deliveries": Rule(permission: .manageWebhooks),
        "POST /v1/webhooks/{webhook_id}/deliveries/{delivery_id}/retry": Rule(permission: .manageWebhooks),
        "GET /v1/products": Rule(permission: .readCatalog), "POST /v1/products": Rule(permission: .changeCatalog),
        "GET /v1/products/{product}": Rule(permission: .readCatalog),
        "PATCH /v1/products/{product}": Rule(permission: .changeCatalog),
        "DELETE /v1/products/{product}": Rule(permission: .changeCatalog),
        "GET /v1/products/{product}/stock": Rule(permission: .readStock),
        "GET /v1/products/{product}/suppliers": Rule(permission: .readCatalog),
        "PUT /v1/products/{product}/suppliers/{supplier_id}": Rule(permission: .changeCatalog),
        "DELETE /v1/products/{product}/suppliers/{supplier_id}": Rule(permission: .changeCatalog),
        "GET /v1/cities": Rule(permission: .readCatalog), "POST /v1/cities": Rule(permission: .changeCatalog),
        "GET /v1/cities/{city_id}": Rule(permission: .readCatalog),
        "PATCH /v1/cities/{city_id}": Rule(permission: .changeCatalog),
        "DELETE /v1/cities/{city_id}": Rule(permission: .changeCatalog),
        "GET /v1/cities/{city_id}/stores": Rule(permission: .readCatalog),
        "GET /v1/stores": Rule(permission: .readCatalog), "POST /v1/stores": Rule(permission: .changeCatalog),
        "GET /v1/stores/{store_id}": Rule(permission: .readCatalog, atStore: true),
        "PATCH /v1/stores/{store_id}": Rule(permission: .changeCatalog),
        "DELETE /v1/stores/{store_id}": Rule(permission: .changeCatalog),
        "GET /v1/suppliers": Rule(permission: .readCatalog), "POST /v1/suppliers": Rule(permission: .changeCatalog),
        "GET /v1/suppliers/{supplier_id}": Rule(permission: .readCatalog),
        "PATCH /v1/suppliers/{supplier_id}": Rule(permission: .changeCatalog),
        "DELETE /v1/suppliers/{supplier_id}": Rule(permission: .changeCatalog),
        "GET /v1/suppliers/{supplier_id}/products": Rule(permission: .readCatalog),
        "POST /v1/stores/{store_id}/movements": Rule(permission: .recordMovement(.sale), atStore: true),
        "GET /v1/stores/{store_id}/stock": Rule(permission: .readStock, atStore: true),
        "GET /v1/stores/{store_id}/stock/{product}": Rule(permission: .readStock, atStore: true),
        "PUT /v1/stores/{store_id}/stock/{product}/reorder-level": Rule(permission: .setReorderLevel, atStore: true),
        "GET /v1/movements": Rule(permission: .readMovements),
        "POST /v1/transfers": Rule(permission: .transferStock), "GET /v1/transfers": Rule(permission: .readMovements),
        "GET /v1/transfers/{transfer_id}": Rule(permission: .readMovements),
        "GET /v1/reports/stock": Rule(permission: .readReports),
        "GET /v1/reports/sales": Rule(permission: .readReports),
        "GET /v1/reports/low-stock": Rule(permission: .readReports),
    ]

    @Test(arguments: TestBackend.allCases)
    func everyRouteAnswersEveryRoleAsItsPermissionSays(backend: TestBackend) async throws {
        try await withAPI(backend) { client, storage in
            let routes = await GodownServer.buildRouter(storage: storage, access: testAccess()).routes
                .map { "\($0.method) \($0.path)" }
            #expect(Set(routes) == Set(Self.rules.keys), "every route needs a rule here, and every rule a route")

            // Store 2 is nobody's; managers and clerks work at store 1.
            #expect(
                try await client.send(.post, "/v1/stores", json: #"{"code":"S2","name":"Second"}"#).status == .created)
            var keys: [Role: Credential] = [:]
            for role in Role.allCases {
                let stores = role.isStoreScoped ? "[1]" : "[]"
                let created = try await client.send(
                    .post, "/v1/api-keys",
                    json: #"{"name":"\#(role.rawValue)","role":"\#(role.rawValue)","store_ids":\#(stores)}"#)
                keys[role] = .bearer(try #require(try created.decode(APIKeyWire.self).key))
            }

            var mismatches: [String] = []
            for route in routes.sorted() {
                let rule = try #require(Self.rules[route])
                let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
                let method = HTTPRequest.Method(parts[0])!
                for store in rule.atStore ? [1, 2] : [1] {
                    let path = Self.concrete(parts[1], store: store)
                    let json = [.post, .put, .patch].contains(method) ? "{}" : nil
                    let anonymous = try await client.send(method, path, json: json, as: nil).status
                    if rule.permission != nil, anonymous != .unauthorized {
                        mismatches.append("\(route) without credentials: \(anonymous.code)")
                    }
                    guard let permission = rule.permission else { continue }
                    for role in Role.allCases {
                        let allowed = role.allows(permission) && (!role.isStoreScoped || !rule.atStore || store == 1)
                        let status = try await client.send(method, path, json: json, as: keys[role]).status
                        let denied = status == .forbidden || status == .unauthorized
                        if allowed == denied {
                            mismatches.append("\(route) at store \(store) as \(role.rawValue): \(status.code)")
                        }
                    }
                }
            }
            #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        }
    }

    /// The route's path with its parameters filled: ids that exist where it matters, 999 where a
    /// change could lock the test out (revoking its own key).
    static func concrete(_ path: String, store: Int) -> String {
        path.replacingOccurrences(of: "{store_id}", with: "\(store)")
            .replacingOccurrences(of: "{product}", with: "1")
            .replacingOccurrences(of: "{key_id}", with: "999")
            .replacingOccurrences(of: "{user_id}", with: "999")
            .replacingOccurrences(of: "{city_id}", with: "1")
            .replacingOccurrences(of: "{supplier_id}", with: "1")
            .replacingOccurrences(of: "{transfer_id}", with: "1")
            .replacingOccurrences(of: "{alert_id}", with: "1")
            .replacingOccurrences(of: "{webhook_id}", with: "999")
            .replacingOccurrences(of: "{delivery_id}", with: "999")
    }
}

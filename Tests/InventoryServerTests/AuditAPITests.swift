import Foundation
import HTTPTypes
import HummingbirdTesting
import InventoryCore
import InventoryTestBackends
import InventoryTesting
import Testing

@testable import InventoryServer

/// Every kind of change, and every login, leaves an audit entry saying who, what, before and after;
/// the log reads as JSON or CSV and its chains verify.
@Suite struct AuditAPITests {
    @Test(arguments: TestBackend.allCases)
    func everyKindOfChangeIsAudited(backend: TestBackend) async throws {
        try await withAPI(backend) { client, storage in
            // Given one change of each kind, through the API.
            let requests: [(HTTPRequest.Method, String, String?)] = [
                (.post, "/v1/products", #"{"sku":"DAL","name":"Toor dal","unit":"kg"}"#),
                (.patch, "/v1/products/DAL", #"{"name":"Toor dal (loose)"}"#),
                (.post, "/v1/cities", #"{"name":"Pune"}"#),
                (.post, "/v1/stores", #"{"code":"S2","name":"Second","city_id":1}"#),
                (.post, "/v1/suppliers", #"{"name":"Sharma Traders"}"#),
                (.put, "/v1/products/DAL/suppliers/1", #"{"cost_price":"80"}"#),
                (.post, "/v1/stores/1/movements", #"{"sku":"DAL","kind":"stock_in","quantity":"5"}"#),
                (.put, "/v1/stores/1/stock/DAL/reorder-level", #"{"reorder_level":"2"}"#),
                (
                    .post, "/v1/transfers",
                    #"{"from_store_id":1,"to_store_id":2,"lines":[{"sku":"DAL","quantity":"1"}]}"#
                ),
                (.post, "/v1/users", #"{"username":"asha","password":"asha-secret","role":"clerk","store_ids":[1]}"#),
                (.post, "/v1/api-keys", #"{"name":"till","role":"clerk","store_ids":[1]}"#),
                (.delete, "/v1/api-keys/2", nil),
                (.post, "/v1/auth/login", #"{"username":"asha","password":"asha-secret"}"#),
                (.post, "/v1/auth/login", #"{"username":"asha","password":"not-hers!"}"#),
            ]
            for (method, path, json) in requests {
                let status = try await client.send(method, path, json: json).status
                #expect(status.code < 300 || path == "/v1/auth/login", "\(method) \(path): \(status.code)")
            }
            // A refused change leaves nothing behind, audit entry included.
            #expect(
                try await client.send(
                    .post, "/v1/stores/1/movements", json: #"{"sku":"DAL","kind":"sale","quantity":"99"}"#
                ).status == .conflict)

            let page = try await client.send(.get, "/v1/audit?limit=100").decode(PageWire<AuditEntryWire>.self)
            let actions = page.items.map(\.action).reversed()
            #expect(
                Array(actions) == [
                    "api_key.create", "product.create", "product.update", "city.create", "store.create",
                    "supplier.create",
                    "product_supplier.link", "movements.record", "reorder_level.set", "transfer.create", "user.create",
                    "api_key.create", "api_key.revoke", "auth.login", "auth.login_failed",
                ])
            let update = try #require(page.items.first { $0.action == "product.update" })
            #expect(update.actor == "test admin" && update.actorKind == "api_key" && update.role == "admin")
            #expect(update.before?.contains("\"name\":\"Toor dal\"") == true)
            #expect(update.after?.contains("\"name\":\"Toor dal (loose)\"") == true)
            #expect(update.requestID?.isEmpty == false)
            let movement = try #require(page.items.first { $0.action == "movements.record" })
            #expect(movement.chain == 1 && movement.after?.contains("\"balance_after\":\"5\"") == true)
            #expect(
                !page.items.contains {
                    ($0.after ?? "").contains("password") || ($0.after ?? "").contains("secret_hash")
                })

            let filtered = try await client.send(.get, "/v1/audit?actor=asha&entity_type=user&action=auth.login")
                .decode(PageWire<AuditEntryWire>.self)
            #expect(filtered.items.map(\.action) == ["auth.login"])
            let csv = try await client.send(.get, "/v1/audit?format=csv&action=city.create")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.hasPrefix("id,recorded_at,actor_kind") && csv.text.contains(",city.create,"))
            let verification = try await storage.verifyAuditLog()
            #expect(verification.isIntact && verification.entriesChecked == 15)
        }
    }
}

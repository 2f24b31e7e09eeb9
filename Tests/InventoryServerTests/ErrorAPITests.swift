import Foundation
import HTTPTypes
import HummingbirdTesting
import InventoryCore
import InventoryServer
import InventoryTestBackends
import Testing

/// Status codes a client can rely on: bad input is a 4xx problem with a request id, never a 500.
@Suite struct ErrorAPITests {
    struct Case: Sendable, CustomTestStringConvertible {
        var method: HTTPRequest.Method
        var uri: String
        var body: String?
        var status: HTTPResponse.Status
        var field: String?
        var testDescription: String { "\(method) \(uri) \(body ?? "") → \(status.code)" }
    }

    static let movements = "/v1/stores/1/movements"
    static let cases: [Case] = [
        Case(method: .post, uri: movements, body: #"{"sku":"RICE","kind":"sale""#, status: .badRequest),
        Case(method: .post, uri: movements, body: "", status: .badRequest),
        // Nesting deeper than the decoder's limit is refused, not followed until the stack runs out.
        Case(
            method: .post, uri: movements,
            body: String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000),
            status: .badRequest),
        Case(
            method: .post, uri: movements, body: #"{"kind":"sale","quantity":"1"}"#, status: .unprocessableContent,
            field: "sku"),
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","product_id":1,"kind":"sale","quantity":"1"}"#,
            status: .unprocessableContent, field: "sku"),
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"sale"}"#, status: .unprocessableContent,
            field: "quantity"),
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"sale","quantity":1.5}"#,
            status: .unprocessableContent, field: "quantity"),
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"sale","quantity":"1e2"}"#,
            status: .unprocessableContent, field: "quantity"),
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"sale","quantity":"0"}"#,
            status: .unprocessableContent, field: "quantity"),
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"sale","quantity":"-1"}"#,
            status: .unprocessableContent, field: "quantity"),
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"sale","quantity":"1.0001"}"#,
            status: .unprocessableContent, field: "quantity"),
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"stock_in","quantity":"1000000.001"}"#,
            status: .unprocessableContent, field: "quantity"),
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"stock_in","quantity":"1000000"}"#,
            status: .created),
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"sale","quantity":true}"#,
            status: .unprocessableContent, field: "quantity"),
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"theft","quantity":"1"}"#,
            status: .unprocessableContent, field: "kind"),
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"removal","quantity":"1"}"#,
            status: .unprocessableContent, field: "reason"),
        Case(
            method: .post, uri: movements,
            body: #"{"sku":"RICE","kind":"sale","quantity":"1","occurred_at":"yesterday"}"#,
            status: .unprocessableContent, field: "occurred_at"),
        Case(method: .post, uri: movements, body: #"{"sku":"NOPE","kind":"sale","quantity":"1"}"#, status: .notFound),
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"stock_in","quantity":"1","supplier_id":7}"#,
            status: .notFound),
        Case(method: .post, uri: movements, body: #"{"sku":"EMPTY","kind":"sale","quantity":"1"}"#, status: .conflict),
        Case(
            method: .post, uri: movements, body: #"{"movements":[]}"#, status: .unprocessableContent, field: "movements"
        ),
        Case(method: .post, uri: movements, body: #"[1,2]"#, status: .unprocessableContent, field: "body"),
        Case(
            method: .post, uri: "/v1/stores/9/movements", body: #"{"sku":"RICE","kind":"stock_in","quantity":"1"}"#,
            status: .notFound),
        Case(
            method: .post, uri: "/v1/stores/x/movements", body: #"{"sku":"RICE","kind":"stock_in","quantity":"1"}"#,
            status: .badRequest),
        Case(
            method: .post, uri: "/v1/products", body: #"{"sku":"bad sku","name":"x","unit":"kg"}"#,
            status: .unprocessableContent, field: "sku"),
        Case(
            method: .post, uri: "/v1/products", body: #"{"sku":"OK","name":"","unit":"kg"}"#,
            status: .unprocessableContent, field: "name"),
        Case(
            method: .post, uri: "/v1/products", body: #"{"sku":"OK","name":"x","unit":"dozen"}"#,
            status: .unprocessableContent, field: "unit"),
        Case(
            method: .post, uri: "/v1/products", body: #"{"sku":"OK","name":"x","unit":"kg","sale_price":"-1"}"#,
            status: .unprocessableContent, field: "sale_price"),
        Case(
            method: .post, uri: "/v1/products",
            body: #"{"sku":"OK","name":"\#(String(repeating: "n", count: 201))","unit":"kg"}"#,
            status: .unprocessableContent, field: "name"),
        Case(
            method: .post, uri: "/v1/products",
            body: #"{"sku":"\#(String(repeating: "S", count: 65))","name":"x","unit":"kg"}"#,
            status: .unprocessableContent, field: "sku"),
        Case(
            method: .patch, uri: "/v1/products/RICE", body: #"{"active":"yes"}"#, status: .unprocessableContent,
            field: "active"),
        Case(
            method: .patch, uri: "/v1/products/RICE", body: #"{"name":null}"#, status: .unprocessableContent,
            field: "name"),
        Case(
            method: .patch, uri: "/v1/stores/1", body: #"{"active":null}"#, status: .unprocessableContent,
            field: "active"),
        Case(method: .get, uri: "/v1/products?cursor=&sku=&q=", status: .ok),
        Case(method: .get, uri: "/v1/products/0", status: .unprocessableContent, field: "product"),
        Case(method: .get, uri: "/v1/products/999", status: .notFound),
        Case(method: .get, uri: "/v1/products?limit=0", status: .unprocessableContent, field: "limit"),
        Case(method: .get, uri: "/v1/products?limit=501", status: .unprocessableContent, field: "limit"),
        Case(method: .get, uri: "/v1/products?limit=500", status: .ok),
        Case(method: .get, uri: "/v1/products?limit=ten", status: .badRequest),
        Case(method: .get, uri: "/v1/products?cursor=forged", status: .badRequest, field: "cursor"),
        Case(method: .get, uri: "/v1/products?active=maybe", status: .badRequest),
        Case(method: .get, uri: "/v1/movements?from=soon", status: .badRequest),
        Case(
            method: .get, uri: "/v1/movements?from=2026-02-01&to=2026-01-01", status: .unprocessableContent, field: "to"
        ),
        Case(method: .get, uri: "/v1/movements?kind=gift", status: .unprocessableContent, field: "kind"),
        Case(method: .get, uri: "/v1/stores/1/stock/NOPE", status: .notFound),
        Case(
            method: .put, uri: "/v1/stores/1/stock/RICE/reorder-level", body: "{}", status: .unprocessableContent,
            field: "reorder_level"),
        // JSON numbers are whole: a fraction or an exponent is refused, never rounded or read as floating point.
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"stock_in","quantity":1e3}"#,
            status: .unprocessableContent, field: "quantity"),
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"stock_in","quantity":1E2}"#,
            status: .unprocessableContent, field: "quantity"),
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"stock_in","quantity":5.0}"#,
            status: .unprocessableContent, field: "quantity"),
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"stock_in","quantity":"1","unit_cost":10.0}"#,
            status: .unprocessableContent, field: "unit_cost"),
        Case(
            method: .post, uri: movements,
            body:
                #"{"movements":[{"sku":"RICE","kind":"stock_in","quantity":"1"},{"sku":"RICE","kind":"stock_in","quantity":2.50}]}"#,
            status: .unprocessableContent, field: "movements[1].quantity"),
        Case(
            method: .post, uri: "/v1/suppliers", body: #"{"name":"x","active":true,"lead":1.0}"#,
            status: .unprocessableContent, field: "lead"),
        // Decimal text in a form nobody writes it in: a plus sign, leading zeros.
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"stock_in","quantity":"+5"}"#,
            status: .unprocessableContent, field: "quantity"),
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"stock_in","quantity":"00000007"}"#,
            status: .unprocessableContent, field: "quantity"),
        // A key given twice is ambiguous (the decoder would keep the first): refused, not guessed.
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"sale","kind":"stock_in","quantity":"1"}"#,
            status: .badRequest),
        Case(
            method: .post, uri: movements, body: #"{"sku":"RICE","kind":"sale","kind":"stock_in","quantity":"1"}"#,
            status: .badRequest),
        Case(
            method: .post, uri: movements,
            body: #"{"movements":[{"sku":"RICE","kind":"stock_in","quantity":"1","quantity":"9"}]}"#,
            status: .badRequest),
        Case(
            method: .post, uri: movements,
            body: #"{"sku":"RICE","note":{"a":1},"note":"x","kind":"stock_in","quantity":"1"}"#, status: .badRequest),
        // Letters that upper-case into others would collide with existing SKUs.
        Case(
            method: .post, uri: "/v1/products", body: #"{"sku":"straße","name":"x","unit":"kg"}"#,
            status: .unprocessableContent, field: "sku"),
        // A query parameter the route does not take is refused, not ignored.
        Case(method: .get, uri: "/v1/products?colour=red", status: .badRequest),
        Case(method: .get, uri: "/v1/stores/1/stock/RICE?as_of=2026-01-01", status: .ok),
        Case(method: .get, uri: "/v1/stores/1/stock/RICE?low_stock=true", status: .badRequest),
        Case(
            method: .post, uri: movements + "?dry_run=true", body: #"{"sku":"RICE","kind":"stock_in","quantity":"1"}"#,
            status: .badRequest),
        Case(method: .get, uri: "/health?verbose=1", status: .badRequest),
        Case(method: .get, uri: "/v1/nowhere", status: .notFound),
        // Hummingbird's router answers an unknown method on a known path as an unknown route.
        Case(method: .delete, uri: "/v1/stores/1/stock", status: .notFound),
    ]

    @Test(arguments: TestBackend.allCases)
    func answersWithAProblem(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            try await client.createProduct("RICE", unit: "kg")
            try await client.createProduct("EMPTY", unit: "kg")
            for testCase in Self.cases {
                let response = try await client.send(testCase.method, testCase.uri, json: testCase.body)
                #expect(response.status == testCase.status, "\(testCase.testDescription): \(response.text)")
                #expect(response.headers[.init("X-Request-Id")!]?.isEmpty == false)
                #expect(response.headers[.init("X-Content-Type-Options")!] == "nosniff")
                if testCase.status.code >= 400 {
                    let problem = try response.problem()
                    #expect(problem.field == testCase.field, "\(testCase.testDescription)")
                }
            }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func aBodyOverTheLimitIs413AndTheLimitItselfIsAccepted(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            let note = String(repeating: "n", count: Limits.noteLengthMax)
            let line = #"{"sku":"RICE","kind":"stock_in","quantity":"1","note":"\#(note)"}"#
            // A full batch of the longest lines fits within the body limit...
            let full = #"{"movements":[\#(Array(repeating: line, count: 500).joined(separator: ","))]}"#
            #expect(full.utf8.count > Limits.requestBodyBytesMax / 2 && full.utf8.count < Limits.requestBodyBytesMax)
            try await client.createProduct("RICE", unit: "kg")
            #expect(try await client.move(full).status == .created)
            // ...one line more is refused by count, and a body past the limit by size.
            let tooMany = try await client.move(
                #"{"movements":[\#(Array(repeating: line, count: 501).joined(separator: ","))]}"#)
            #expect(tooMany.status == .unprocessableContent)
            #expect(try tooMany.problem().field == "movements")
            let huge = String(repeating: " ", count: Limits.requestBodyBytesMax + 1)
            let response = try await client.move(huge)
            #expect(response.status == .contentTooLarge)
            #expect(try response.problem().type.hasSuffix("body-too-large"))
        }
    }
}

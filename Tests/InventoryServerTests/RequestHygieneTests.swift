import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InventoryCore
import InventoryTestBackends
import InventoryTesting
import Testing

@testable import InventoryServer

/// What an outside tester found lax: bodies not sent as JSON, passwords that bcrypt would cut
/// short, idempotency keys shared between callers, `as_of` ignored, and 503s without a retry time.
@Suite struct RequestHygieneTests {
    @Test(arguments: TestBackend.allCases)
    func aBodyNotSentAsJSONIsRefusedWithNothingStored(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            try await client.createProduct("RICE")
            let body = ByteBuffer(string: #"{"sku":"RICE","kind":"stock_in","quantity":"5"}"#)
            // A cross-site form post: text/plain, a foreign Origin, credentials the browser adds.
            var headers = HTTPFields()
            headers[.authorization] = Credential.admin.header
            headers[.contentType] = "text/plain"
            headers[.origin] = "https://evil.example"
            let crossSite = try await client.executeRequest(
                uri: "/v1/stores/1/movements", method: .post, headers: headers, body: body)
            #expect(crossSite.status == .unsupportedMediaType)
            #expect(try crossSite.problem().field == "Content-Type")
            headers[.contentType] = nil
            #expect(
                try await client.executeRequest(
                    uri: "/v1/stores/1/movements", method: .post, headers: headers, body: body
                ).status == .unsupportedMediaType)
            #expect(try await client.send(.get, "/v1/stores/1/stock/RICE").decode(StockLevelWire.self).onHand == "0")
            headers[.contentType] = "Application/JSON; charset=utf-8"
            #expect(
                try await client.executeRequest(
                    uri: "/v1/stores/1/movements", method: .post, headers: headers, body: body
                ).status == .created)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func aPasswordWithANulOrControlCharacterIsRefused(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            for password in [#"abc\u0000defgh"#, #"tab\tinside-it"#, #"bell\u0007-ringing"#] {
                let created = try await client.send(
                    .post, "/v1/users", json: #"{"username":"nul","password":"\#(password)","role":"auditor"}"#)
                #expect(created.status == .unprocessableContent)
                #expect(try created.problem().field == "password")
            }
            let created = try await client.send(
                .post, "/v1/users", json: #"{"username":"nul","password":"a-fine-password","role":"auditor"}"#)
            let id = try created.decode(UserWire.self).id
            let changed = try await client.send(.patch, "/v1/users/\(id)", json: #"{"password":"abc\u0000defgh"}"#)
            #expect(changed.status == .unprocessableContent)
            // "abc" never became a password; the old one still works.
            #expect(
                try await client.send(.get, "/v1/me", as: .basic(username: "nul", password: "abc")).status
                    == .unauthorized)
            #expect(
                try await client.send(.get, "/v1/me", as: .basic(username: "nul", password: "abc\u{0}defgh")).status
                    == .unauthorized)
            #expect(
                try await client.send(.get, "/v1/me", as: .basic(username: "nul", password: "a-fine-password")).status
                    == .ok)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func idempotencyKeysBelongToWhoeverSentThem(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            #expect(
                try await client.send(.post, "/v1/stores", json: #"{"code":"S2","name":"Second"}"#).status == .created)
            try await client.createProduct("SOAP")
            for (name, store) in [("till1", 1), ("till2", 2)] {
                let created = try await client.send(
                    .post, "/v1/users",
                    json:
                        #"{"username":"\#(name)","password":"\#(name)-password","role":"clerk","store_ids":[\#(store)]}"#
                )
                #expect(created.status == .created)
            }
            let till1 = Credential.basic(username: "till1", password: "till1-password")
            let till2 = Credential.basic(username: "till2", password: "till2-password")
            let key = ["Idempotency-Key": "till-b-0002"]
            let first = try await client.send(
                .post, "/v1/stores/1/movements", json: #"{"sku":"SOAP","kind":"stock_in","quantity":"5"}"#,
                headers: key, as: till1)
            #expect(first.status == .created)
            #expect(try first.decode(MovementWire.self).idempotencyKey == "till-b-0002")
            // Another clerk's request under the same key is theirs: applied, and it learns nothing of the first.
            let second = try await client.send(
                .post, "/v1/stores/2/movements", json: #"{"sku":"SOAP","kind":"stock_in","quantity":"7"}"#,
                headers: key, as: till2)
            #expect(second.status == .created)
            #expect(second.headers[.init("Idempotency-Replayed")!] == nil)
            // Each retry replays its own sender's movement.
            let retried = try await client.send(
                .post, "/v1/stores/1/movements", json: #"{"sku":"SOAP","kind":"stock_in","quantity":"5"}"#,
                headers: key, as: till1)
            #expect(retried.headers[.init("Idempotency-Replayed")!] == "true")
            #expect(try retried.decode(MovementWire.self).id == first.decode(MovementWire.self).id)
            let history = try await client.send(.get, "/v1/movements?sku=SOAP").decode(PageWire<MovementWire>.self)
            #expect(history.items.count == 2 && history.items.allSatisfy { $0.idempotencyKey == "till-b-0002" })
        }
    }

    @Test(arguments: TestBackend.allCases)
    func oneProductsStockAsOfAPastInstant(backend: TestBackend) async throws {
        let time = ManualTime()
        try await withAPI(backend, time: time) { client, _ in
            try await client.createProduct("GHEE")
            #expect(try await client.move(#"{"sku":"GHEE","kind":"stock_in","quantity":"5"}"#).status == .created)
            time.advance(by: .seconds(1))
            let between = WireCoding.formatTime(time.now)
            time.advance(by: .seconds(1))
            #expect(try await client.move(#"{"sku":"GHEE","kind":"sale","quantity":"2"}"#).status == .created)
            let now = try await client.send(.get, "/v1/stores/1/stock/GHEE").decode(StockLevelWire.self)
            let then = try await client.send(.get, "/v1/stores/1/stock/GHEE?as_of=\(between)").decode(
                StockLevelWire.self)
            let before = try await client.send(.get, "/v1/stores/1/stock/GHEE?as_of=2000-01-01").decode(
                StockLevelWire.self)
            #expect((now.onHand, then.onHand, before.onHand) == ("3", "5", "0"))
        }
    }

    @Test func theDatabaseBeingUnavailableIs503WithRetryAfter() async throws {
        try await TemporaryPostgres.withUnreachable(deadline: DatabaseDeadline(timeout: .seconds(1))) { storage in
            let router = await GodownServer.buildRouter(storage: storage, access: testAccess())
            let app = Application(router: router)
            try await app.test(.router) { client in
                for (uri, credential) in [("/health", nil), ("/v1/stores/1/stock", Credential.admin)]
                    as [(String, Credential?)]
                {
                    let response = try await client.send(.get, uri, as: credential)
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.headers[.retryAfter] == String(Limits.storageRetryAfterSeconds))
                    #expect(try response.problem().type.hasSuffix("storage-unavailable"))
                }
            }
        }
    }
}

import Foundation
import HTTPTypes
import HummingbirdTesting
import InventoryCore
import InventoryTestBackends
import Testing

@testable import InventoryServer

/// Password guessing is limited without handing anyone a lock: failures count per username and
/// address and per address, a username under attack from many addresses is slowed rather than
/// refused, right passwords never count, and a change to a user ends what they were issued before.
@Suite struct PasswordGuessingTests {
    static let limits = RateLimitConfiguration(
        perPrincipal: TokenBucketRule(capacity: 1_000, refillEvery: .milliseconds(1)),
        perAddress: TokenBucketRule(capacity: 1_000, refillEvery: .milliseconds(1)),
        loginPerUsername: TokenBucketRule(capacity: 5, refillEvery: .seconds(180)),
        loginPerAddress: TokenBucketRule(capacity: 8, refillEvery: .seconds(120)),
        loginSlowdown: .seconds(2))

    static func login(_ port: Int, from address: String, _ username: String, _ password: String) async throws
        -> (status: Int, text: String)
    {
        try await RawConnection.request(
            port: port, from: address, "POST", "/v1/auth/login",
            body: #"{"username":"\#(username)","password":"\#(password)"}"#)
    }

    static func createUser(_ client: any TestClientProtocol, _ name: String) async throws {
        let created = try await client.send(
            .post, "/v1/users", json: #"{"username":"\#(name)","password":"\#(name)-password","role":"auditor"}"#)
        #expect(created.status == .created)
    }

    @Test func failuresFromOneAddressDoNotLockTheUserOutElsewhere() async throws {
        try await withAPI(.sqlite, .live, access: testAccess(rateLimits: Self.limits)) { client, _ in
            let port = try #require(client.port)
            try await Self.createUser(client, "ravi")
            for _ in 0..<5 {
                #expect(try await Self.login(port, from: "127.0.0.1", "ravi", "guess-guess").status == 401)
            }
            // The guessing address is stopped, and the 429 describes the bucket that refused it.
            let stopped = try await Self.login(port, from: "127.0.0.1", "ravi", "ravi-password")
            #expect(stopped.status == 429)
            #expect(stopped.text.contains("RateLimit-Limit: 5") && stopped.text.contains("RateLimit-Remaining: 0"))
            #expect(stopped.text.contains("Retry-After: "))
            // Ravi at another address signs in at once, with the login form and with HTTP Basic.
            #expect(try await Self.login(port, from: "127.0.0.2", "ravi", "ravi-password").status == 200)
            let basic = "Basic " + Data("ravi:ravi-password".utf8).base64EncodedString()
            let me = try await RawConnection.request(
                port: port, from: "127.0.0.2", "GET", "/v1/me", headers: ["Authorization": basic])
            #expect(me.status == 200)
        }
    }

    @Test func anAddressThatKeepsFailingMayStillSignInUsersWhoDidFromThere() async throws {
        try await withAPI(.sqlite, .live, access: testAccess(rateLimits: Self.limits)) { client, _ in
            let port = try #require(client.port)
            for name in ["asha", "bela"] { try await Self.createUser(client, name) }
            // Asha has signed in from the shop's address before.
            #expect(try await Self.login(port, from: "127.0.0.3", "asha", "asha-password").status == 200)
            // Someone there fails eight times at other names: the address's limit.
            for index in 0..<8 {
                #expect(try await Self.login(port, from: "127.0.0.3", "user\(index)", "guess-guess").status == 401)
            }
            #expect(try await Self.login(port, from: "127.0.0.3", "bela", "bela-password").status == 429)
            // Asha is not locked out with them.
            #expect(try await Self.login(port, from: "127.0.0.3", "asha", "asha-password").status == 200)
        }
    }

    @Test func aUsernameFailedFromManyAddressesIsSlowedNotRefused() async throws {
        try await withAPI(.sqlite, .live, access: testAccess(rateLimits: Self.limits)) { client, _ in
            let port = try #require(client.port)
            try await Self.createUser(client, "mona")
            // Eight failures for mona, two each from four addresses: none of them is stopped.
            for address in 4...7 {
                for _ in 0..<2 {
                    #expect(try await Self.login(port, from: "127.0.0.\(address)", "mona", "guess-guess").status == 401)
                }
            }
            // From an address that never failed, the right password still signs in, after the slowdown.
            let started = ContinuousClock.now
            #expect(try await Self.login(port, from: "127.0.0.8", "mona", "mona-password").status == 200)
            #expect(ContinuousClock.now - started >= .seconds(2))
        }
    }

    @Test(arguments: TestBackend.allCases)
    func fiftySimultaneousBasicRequestsWithTheRightPasswordAllSucceed(backend: TestBackend) async throws {
        try await withAPI(backend, access: testAccess(rateLimits: Self.limits)) { client, _ in
            try await Self.createUser(client, "kiran")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await client.send(.get, "/v1/me", as: .basic(username: "kiran", password: "kiran-password"))
                            .status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: .ok, count: 50))
        }
    }

    @Test(arguments: TestBackend.allCases)
    func aChangeToAUserEndsTheirTokensAndRememberedPasswordsAtOnce(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            #expect(
                try await client.send(.post, "/v1/stores", json: #"{"code":"S2","name":"Second"}"#).status == .created)
            try await client.createProduct("RICE")
            for store in [1, 2] {
                _ = try await client.send(
                    .post, "/v1/stores/\(store)/movements", json: #"{"sku":"RICE","kind":"stock_in","quantity":"9"}"#)
            }
            let created = try await client.send(
                .post, "/v1/users",
                json: #"{"username":"kiran","password":"kiran-password","role":"manager","store_ids":[1]}"#)
            let id = try created.decode(UserWire.self).id
            let login = try await client.send(
                .post, "/v1/auth/login", json: #"{"username":"kiran","password":"kiran-password"}"#, as: nil)
            let tokens = try login.decode(TokensWire.self)
            let bearer = Credential.bearer(tokens.accessToken)
            let basic = Credential.basic(username: "kiran", password: "kiran-password")
            let sale = #"{"sku":"RICE","kind":"sale","quantity":"1"}"#
            #expect(try await client.send(.post, "/v1/stores/1/movements", json: sale, as: bearer).status == .created)
            #expect(try await client.send(.post, "/v1/stores/1/movements", json: sale, as: basic).status == .created)

            // Moved to store 2: the old token no longer works anywhere; a refreshed one works at store 2 only.
            #expect(try await client.send(.patch, "/v1/users/\(id)", json: #"{"store_ids":[2]}"#).status == .ok)
            let stale = try await client.send(.post, "/v1/stores/1/movements", json: sale, as: bearer)
            #expect(stale.status == .unauthorized)
            #expect(try stale.problem().detail.contains("account changed"))
            #expect(try await client.send(.post, "/v1/stores/1/movements", json: sale, as: basic).status == .forbidden)
            let refreshed = try await client.send(
                .post, "/v1/auth/refresh", json: #"{"refresh_token":"\#(tokens.refreshToken)"}"#, as: nil
            ).decode(TokensWire.self)
            let fresh = Credential.bearer(refreshed.accessToken)
            #expect(try await client.send(.post, "/v1/stores/1/movements", json: sale, as: fresh).status == .forbidden)
            #expect(try await client.send(.post, "/v1/stores/2/movements", json: sale, as: fresh).status == .created)

            // Demoted to clerk: adjustments stop with the next request.
            let adjustment = #"{"sku":"RICE","kind":"adjustment","quantity":"-1","reason":"spilt"}"#
            #expect(
                try await client.send(.post, "/v1/stores/2/movements", json: adjustment, as: basic).status == .created)
            #expect(try await client.send(.patch, "/v1/users/\(id)", json: #"{"role":"clerk"}"#).status == .ok)
            #expect(
                try await client.send(.post, "/v1/stores/2/movements", json: adjustment, as: basic).status == .forbidden
            )
            #expect(try await client.send(.get, "/v1/me", as: fresh).status == .unauthorized)

            // A new password or deactivation ends the remembered password too.
            #expect(
                try await client.send(.patch, "/v1/users/\(id)", json: #"{"password":"another-password"}"#).status
                    == .ok)
            #expect(try await client.send(.get, "/v1/me", as: basic).status == .unauthorized)
            let newBasic = Credential.basic(username: "kiran", password: "another-password")
            #expect(try await client.send(.get, "/v1/me", as: newBasic).status == .ok)
            #expect(try await client.send(.patch, "/v1/users/\(id)", json: #"{"active":false}"#).status == .ok)
            #expect(try await client.send(.get, "/v1/me", as: newBasic).status == .unauthorized)
        }
    }
}

import Foundation
import HTTPTypes
import HummingbirdTesting
import InventoryCore
import InventoryTestBackends
import InventoryTesting
import Testing

@testable import InventoryServer

/// Each role does what it may at its own stores and nothing else; the three ways to authenticate
/// work, expire and are revoked as documented.
@Suite struct AccessAPITests {
    /// Store 2 beside the first start's store 1, a product with stock in both, and one user per role.
    static func givenAChainWithStaff(_ client: any TestClientProtocol) async throws {
        #expect(try await client.send(.post, "/v1/stores", json: #"{"code":"S2","name":"Second"}"#).status == .created)
        try await client.createProduct("RICE", unit: "kg")
        for store in [1, 2] {
            let stocked = try await client.send(
                .post, "/v1/stores/\(store)/movements", json: #"{"sku":"RICE","kind":"stock_in","quantity":"10"}"#)
            #expect(stocked.status == .created)
        }
        for (name, role, stores) in [("mona", "manager", "[1]"), ("kiran", "clerk", "[1]"), ("audra", "auditor", "[]")]
        {
            let created = try await client.send(
                .post, "/v1/users",
                json: #"{"username":"\#(name)","password":"\#(name)-secret","role":"\#(role)","store_ids":\#(stores)}"#)
            #expect(created.status == .created)
        }
    }

    static func basic(_ name: String) -> Credential { .basic(username: name, password: "\(name)-secret") }

    @Test(arguments: TestBackend.allCases)
    func eachRoleActsOnlyWhereItMay(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            try await Self.givenAChainWithStaff(client)
            let clerk = Self.basic("kiran")
            let manager = Self.basic("mona")
            let auditor = Self.basic("audra")
            let sale = #"{"sku":"RICE","kind":"sale","quantity":"1"}"#
            let adjustment = #"{"sku":"RICE","kind":"adjustment","quantity":"-1","reason":"spilt"}"#

            // The clerk sells at their store, not elsewhere, and may not adjust, report or change the catalog.
            let sold = try await client.send(.post, "/v1/stores/1/movements", json: sale, as: clerk)
            #expect(sold.status == .created)
            #expect(try sold.decode(MovementWire.self).recordedBy.name == "kiran")
            #expect(try await client.send(.post, "/v1/stores/2/movements", json: sale, as: clerk).status == .forbidden)
            #expect(
                try await client.send(.post, "/v1/stores/1/movements", json: adjustment, as: clerk).status == .forbidden
            )
            #expect(try await client.send(.get, "/v1/reports/stock", as: clerk).status == .forbidden)
            #expect(try await client.send(.get, "/v1/stores/1/stock/RICE", as: clerk).status == .ok)
            #expect(try await client.send(.get, "/v1/stores/2/stock/RICE", as: clerk).status == .forbidden)
            #expect(
                try await client.send(.post, "/v1/products", json: #"{"sku":"X","name":"X","unit":"kg"}"#, as: clerk)
                    .status == .forbidden)

            // The manager adjusts and sets reorder levels at their store only; listings cover only it.
            #expect(
                try await client.send(.post, "/v1/stores/1/movements", json: adjustment, as: manager).status == .created
            )
            let reorder = #"{"reorder_level":"3"}"#
            #expect(
                try await client.send(.put, "/v1/stores/1/stock/RICE/reorder-level", json: reorder, as: manager).status
                    == .ok)
            #expect(
                try await client.send(.put, "/v1/stores/2/stock/RICE/reorder-level", json: reorder, as: manager).status
                    == .forbidden)
            let movements = try await client.send(.get, "/v1/movements", as: manager).decode(
                PageWire<MovementWire>.self)
            #expect(!movements.items.isEmpty && movements.items.allSatisfy { $0.storeID == 1 })
            let stores = try await client.send(.get, "/v1/stores", as: manager).decode(PageWire<StoreWire>.self)
            #expect(stores.items.map(\.id) == [1])
            let report = try await client.send(.get, "/v1/reports/stock?group_by=store", as: manager)
            #expect(report.status == .ok && !report.text.contains("Second"))
            #expect(try await client.send(.get, "/v1/users", as: manager).status == .forbidden)

            // The auditor reads everything, including the audit log, and changes nothing.
            #expect(try await client.send(.get, "/v1/audit", as: auditor).status == .ok)
            #expect(try await client.send(.get, "/v1/stores/2/stock/RICE", as: auditor).status == .ok)
            #expect(
                try await client.send(.post, "/v1/stores/1/movements", json: sale, as: auditor).status == .forbidden)
            #expect(try await client.send(.delete, "/v1/products/RICE", as: auditor).status == .forbidden)

            // Without credentials: 401 with a challenge; with wrong ones: 401.
            let anonymous = try await client.send(.get, "/v1/products", as: nil)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate]?.contains("Basic") == true)
            #expect(try anonymous.problem().type.hasSuffix("unauthenticated"))
            #expect(
                try await client.send(.get, "/v1/products", as: .basic(username: "kiran", password: "wrong-one")).status
                    == .unauthorized)
            #expect(try await client.send(.get, "/v1/me", as: clerk).decode(MeWire.self).storeIDs == [1])
        }
    }

    @Test(arguments: TestBackend.allCases)
    func unknownUsersAndWrongPasswordsFailAlikeAndAreAudited(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            try await Self.givenAChainWithStaff(client)
            let unknown = try await client.send(
                .post, "/v1/auth/login", json: #"{"username":"nobody","password":"whatever1"}"#, as: nil)
            let wrong = try await client.send(
                .post, "/v1/auth/login", json: #"{"username":"kiran","password":"whatever1"}"#, as: nil)
            #expect(unknown.status == .unauthorized && wrong.status == .unauthorized)
            #expect(try unknown.problem().detail == wrong.problem().detail)
            let failures = try await client.send(.get, "/v1/audit?action=auth.login_failed").decode(
                PageWire<AuditEntryWire>.self)
            #expect(Set(failures.items.map(\.actor)) == ["nobody", "kiran"])
        }
    }

    @Test(arguments: TestBackend.allCases)
    func tokensRefreshOnceAndAReusedRefreshTokenRevokesItsFamily(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            try await Self.givenAChainWithStaff(client)
            let login = try await client.send(
                .post, "/v1/auth/login", json: #"{"username":"mona","password":"mona-secret"}"#, as: nil)
            #expect(login.status == .ok)
            let first = try login.decode(TokensWire.self)
            #expect(first.expiresIn == 900)
            #expect(
                try await client.send(.get, "/v1/me", as: .bearer(first.accessToken)).decode(MeWire.self).name == "mona"
            )

            let refreshed = try await client.send(
                .post, "/v1/auth/refresh", json: #"{"refresh_token":"\#(first.refreshToken)"}"#, as: nil)
            #expect(refreshed.status == .ok)
            let second = try refreshed.decode(TokensWire.self)
            #expect(second.refreshToken != first.refreshToken)

            // Replaying the spent token revokes the family: the token issued in its place dies too.
            let replay = try await client.send(
                .post, "/v1/auth/refresh", json: #"{"refresh_token":"\#(first.refreshToken)"}"#, as: nil)
            #expect(replay.status == .unauthorized)
            let afterReplay = try await client.send(
                .post, "/v1/auth/refresh", json: #"{"refresh_token":"\#(second.refreshToken)"}"#, as: nil)
            #expect(afterReplay.status == .unauthorized)
            let reuses = try await client.send(.get, "/v1/audit?action=auth.refresh_reused").decode(
                PageWire<AuditEntryWire>.self)
            #expect(reuses.items.count == 1)

            // Logging out ends a fresh session the same way.
            let again = try await client.send(
                .post, "/v1/auth/login", json: #"{"username":"mona","password":"mona-secret"}"#, as: nil
            )
            .decode(TokensWire.self)
            #expect(
                try await client.send(
                    .post, "/v1/auth/logout", json: #"{"refresh_token":"\#(again.refreshToken)"}"#, as: nil
                ).status == .noContent)
            #expect(
                try await client.send(
                    .post, "/v1/auth/refresh", json: #"{"refresh_token":"\#(again.refreshToken)"}"#, as: nil
                ).status == .unauthorized)
            #expect(try await client.send(.get, "/v1/me", as: .bearer("not.a.token")).status == .unauthorized)
        }
    }

    @Test func accessTokensExpire() async throws {
        let time = ManualTime()
        try await withAPI(.sqlite, access: testAccess(accessTokenLifetime: .seconds(60)), time: time) { client, _ in
            try await Self.givenAChainWithStaff(client)
            let tokens = try await client.send(
                .post, "/v1/auth/login", json: #"{"username":"mona","password":"mona-secret"}"#, as: nil
            )
            .decode(TokensWire.self)
            #expect(try await client.send(.get, "/v1/me", as: .bearer(tokens.accessToken)).status == .ok)
            time.advance(by: .seconds(59))
            #expect(try await client.send(.get, "/v1/me", as: .bearer(tokens.accessToken)).status == .ok)
            time.advance(by: .seconds(1))
            let expired = try await client.send(.get, "/v1/me", as: .bearer(tokens.accessToken))
            #expect(expired.status == .unauthorized)
            #expect(try expired.problem().detail.contains("expired"))
        }
    }

    @Test(arguments: TestBackend.allCases)
    func apiKeysWorkUntilRevokedAndDeactivatedUsersAreLockedOut(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            try await Self.givenAChainWithStaff(client)
            let created = try await client.send(
                .post, "/v1/api-keys", json: #"{"name":"till 1","role":"clerk","store_ids":[1]}"#)
            #expect(created.status == .created)
            let key = try created.decode(APIKeyWire.self)
            let secret = try #require(key.key)
            #expect(secret.hasPrefix("gdk_"))
            #expect(try await client.send(.get, "/v1/api-keys").text.contains(secret) == false)
            let sale = try await client.send(
                .post, "/v1/stores/1/movements", json: #"{"sku":"RICE","kind":"sale","quantity":"1"}"#,
                as: .bearer(secret))
            #expect(
                try sale.decode(MovementWire.self).recordedBy == Identity(kind: .apiKey, id: key.id, name: "till 1"))
            #expect(try await client.send(.delete, "/v1/api-keys/\(key.id)").status == .noContent)
            #expect(try await client.send(.get, "/v1/me", as: .bearer(secret)).status == .unauthorized)

            let users = try await client.send(.get, "/v1/users").decode(PageWire<UserWire>.self)
            let kiran = try #require(users.items.first { $0.username == "kiran" })
            #expect(try await client.send(.patch, "/v1/users/\(kiran.id)", json: #"{"active":false}"#).status == .ok)
            #expect(try await client.send(.get, "/v1/me", as: Self.basic("kiran")).status == .unauthorized)
        }
    }
}

import Foundation
import HTTPTypes
import HummingbirdTesting
import InventoryCore
import InventoryTestBackends
import InventoryTesting
import Testing

@testable import InventoryServer

/// Callers over their limit get a 429 problem that says when to come back, and so do callers
/// probing without valid credentials; the limiter's memory stays bounded.
@Suite struct RateLimitAPITests {
    static let tight = RateLimitConfiguration(
        perPrincipal: TokenBucketRule(capacity: 3, refillEvery: .seconds(60)),
        perAddress: TokenBucketRule(capacity: 100, refillEvery: .seconds(1)),
        loginPerUsername: TokenBucketRule(capacity: 5, refillEvery: .seconds(180)),
        loginPerAddress: TokenBucketRule(capacity: 20, refillEvery: .seconds(45)))

    @Test func aPrincipalOverItsLimitGets429WithHeaders() async throws {
        try await withAPI(.sqlite, access: testAccess(rateLimits: Self.tight)) { client, _ in
            var remaining: [String] = []
            for _ in 0..<3 {
                let response = try await client.send(.get, "/v1/products")
                #expect(response.status == .ok)
                #expect(response.headers[.rateLimitLimit] == "3")
                remaining.append(response.headers[.rateLimitRemaining] ?? "")
            }
            #expect(remaining == ["2", "1", "0"])
            let refused = try await client.send(.get, "/v1/products")
            #expect(refused.status == .tooManyRequests)
            // One token comes back a minute after the first was taken; all three within three minutes.
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
            let reset = try #require(refused.headers[.rateLimitReset].flatMap { Int($0) })
            #expect((1...60).contains(retryAfter) && (120...180).contains(reset))
            #expect(refused.headers[.rateLimitRemaining] == "0")
            #expect(try refused.problem().type.hasSuffix("rate-limited"))
            // Operational routes are not limited.
            #expect(try await client.send(.get, "/health", as: nil).status == .ok)
        }
    }

    @Test func callsWithoutValidCredentialsAreLimitedPerAddress() async throws {
        let limits = RateLimitConfiguration(
            perPrincipal: TokenBucketRule(capacity: 100, refillEvery: .seconds(1)),
            perAddress: TokenBucketRule(capacity: 3, refillEvery: .seconds(60)))
        try await withAPI(.sqlite, access: testAccess(rateLimits: limits)) { client, _ in
            let probes: [Credential?] = [nil, .bearer("not-a-token"), .bearer("gdk_unknown")]
            for credential in probes {
                let refused = try await client.send(.get, "/v1/products", as: credential)
                #expect(refused.status == .unauthorized)
                #expect(refused.headers[.rateLimitLimit] == "3")
            }
            let limited = try await client.send(.get, "/v1/products", as: .bearer("not-a-token"))
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(limited.headers[.rateLimitRemaining] == "0")
            // Callers with valid credentials draw on their own bucket, not the address's.
            #expect(try await client.send(.get, "/v1/products").status == .ok)
        }
    }

    @Test func theLimiterForgetsRatherThanGrows() {
        let limiter = RateLimiter(
            rule: TokenBucketRule(capacity: 2, refillEvery: .seconds(60)), keysMax: 100, time: ManualTime())
        for address in 0..<10_000 { _ = limiter.take("10.0.\(address / 256).\(address % 256)") }
        #expect(limiter.trackedKeys <= 100)
        #expect(limiter.take("busy").allowed && limiter.take("busy").allowed && !limiter.take("busy").allowed)
    }

    @Test func verifiedTokensAreForgottenAtExpiryAndStayBounded() {
        let time = ManualTime()
        let tokens = VerifiedTokens(capacity: 3, time: time)
        let start = time.now
        let clerk = Principal(identity: Identity(kind: .user, id: 7, name: "mona"), role: .clerk, storeIDs: [1])
        tokens.remember("live", as: clerk, version: 1, expires: start.addingTimeInterval(60))
        tokens.remember("expiring", as: clerk, version: 1, expires: start.addingTimeInterval(1))
        #expect(tokens.principal(for: "live")?.principal == clerk)
        #expect(tokens.principal(for: "unknown") == nil)
        time.advance(by: .seconds(1))
        #expect(tokens.principal(for: "expiring") == nil)
        #expect(tokens.count == 1)

        // Full: expired tokens go first, and the live ones stay.
        tokens.remember("soon", as: clerk, version: 1, expires: start.addingTimeInterval(2))
        tokens.remember("third", as: clerk, version: 1, expires: start.addingTimeInterval(60))
        time.advance(by: .seconds(1))
        tokens.remember("fourth", as: clerk, version: 1, expires: start.addingTimeInterval(60))
        #expect(tokens.count == 3)
        #expect(tokens.principal(for: "live")?.principal == clerk)
        #expect(tokens.principal(for: "fourth")?.principal == clerk)
        #expect(tokens.principal(for: "soon") == nil)

        // Full of live tokens: memory stays bounded whatever the flood.
        for index in 0..<1_000 {
            tokens.remember("flood \(index)", as: clerk, version: 1, expires: start.addingTimeInterval(60))
        }
        #expect(tokens.count <= 3)
        #expect(tokens.principal(for: "flood 999")?.principal == clerk)
    }
}

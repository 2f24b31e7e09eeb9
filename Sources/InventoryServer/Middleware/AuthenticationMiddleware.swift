import HTTPTypes
import Hummingbird
import InventoryCore

/// Authenticates every call of the `/v1` routes that need credentials and applies the rate limits:
/// a bucket per user or key, and per client address for calls without valid credentials (so probing
/// costs the prober). Every limited response carries the `RateLimit-*` headers of the bucket that
/// decided; a refused one is a 429 problem with `Retry-After`.
struct AuthenticationMiddleware<Access: AccessReader & AccessWriter>: RouterMiddleware {
    typealias Context = GodownRequestContext

    let authenticator: Authenticator<Access>
    let perPrincipal: RateLimiter
    let perAddress: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var context = context
        var decision: RateLimiter.Decision?
        var response: Response
        do {
            let principal: Principal
            do {
                guard let authenticated = try await authenticator.authenticate(request.headers, origin: context.origin)
                else { throw InventoryError.unauthenticated(reason: "this route needs credentials") }
                principal = authenticated
            } catch InventoryError.unauthenticated(let reason) {
                decision = try perAddress.require(addressKey(context))
                throw InventoryError.unauthenticated(reason: reason)
            }
            context.principal = principal
            let identity = principal.identity
            decision = try perPrincipal.require("\(identity.kind.rawValue):\(identity.id ?? 0)")
            response = try await next(request, context)
        } catch {
            response = ProblemMiddleware<Context>.response(for: error, context: context)
        }
        decision?.describe(unlessDescribed: &response.headers)
        return response
    }
}

/// Limits the routes that exchange credentials for tokens per client address.
struct AddressRateLimitMiddleware: RouterMiddleware {
    typealias Context = GodownRequestContext

    let perAddress: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var decision: RateLimiter.Decision?
        var response: Response
        do {
            decision = try perAddress.require(addressKey(context))
            response = try await next(request, context)
        } catch {
            response = ProblemMiddleware<Context>.response(for: error, context: context)
        }
        decision?.describe(unlessDescribed: &response.headers)
        return response
    }
}

private func addressKey(_ context: GodownRequestContext) -> String {
    "address:" + (context.clientAddress ?? "unknown")
}

extension RateLimiter {
    /// Takes a token for `key`; throws the refusal when there is none.
    func require(_ key: String) throws -> Decision {
        let decision = take(key)
        guard decision.allowed else { throw RateLimitExceeded(decision: decision) }
        return decision
    }
}

extension RateLimiter.Decision {
    /// The `RateLimit-*` headers of this bucket.
    func describe(in headers: inout HTTPFields) {
        headers[.rateLimitLimit] = String(limit)
        headers[.rateLimitRemaining] = String(remaining)
        headers[.rateLimitReset] = String(resetSeconds)
    }

    /// The headers of this bucket, unless a refusal further in (a password limit) already described
    /// the bucket that refused.
    func describe(unlessDescribed headers: inout HTTPFields) {
        guard headers[.rateLimitLimit] == nil else { return }
        describe(in: &headers)
    }
}

extension HTTPField.Name {
    static let rateLimitLimit = HTTPField.Name("RateLimit-Limit")!
    static let rateLimitRemaining = HTTPField.Name("RateLimit-Remaining")!
    static let rateLimitReset = HTTPField.Name("RateLimit-Reset")!
}

import HTTPTypes
import Hummingbird
import InventoryCore

/// Authenticates every /v1 call and applies the rate limits: a bucket per user or key, and one per
/// client address for calls without credentials. Every limited response carries the `RateLimit-*`
/// headers; a refused one is a 429 problem with `Retry-After`.
struct AccessMiddleware<Storage: InventoryStorage>: RouterMiddleware {
    typealias Context = GodownRequestContext

    let authenticator: Authenticator<Storage>
    let perPrincipal: RateLimiter
    let perAddress: RateLimiter

    /// Who may call a route.
    enum Exposure {
        /// Outside /v1: health, ping, the OpenAPI document. No credentials, no limit.
        case operational
        /// Exchanging credentials for tokens: no credentials, limited per client address.
        case credentialExchange
        /// Everything else under /v1: credentials required, limited per user or key.
        case authenticated
    }

    static func exposure(of path: String) -> Exposure {
        if !path.hasPrefix("/v1/") && path != "/v1" { return .operational }
        return ["/v1/auth/login", "/v1/auth/refresh", "/v1/auth/logout"].contains(path)
            ? .credentialExchange : .authenticated
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var context = context
        var decision: RateLimiter.Decision?
        var response: Response
        do {
            switch Self.exposure(of: request.uri.path) {
            case .operational:
                return try await next(request, context)
            case .credentialExchange:
                decision = try take(perAddress, addressKey(context))
            case .authenticated:
                let principal: Principal
                do {
                    guard let authenticated = try await authenticator.authenticate(request.headers, origin: context.origin)
                    else { throw InventoryError.unauthenticated(reason: "this route needs credentials") }
                    principal = authenticated
                } catch InventoryError.unauthenticated(let reason) {
                    // Calls without valid credentials are limited per address, so probing costs the prober.
                    decision = try take(perAddress, addressKey(context))
                    throw InventoryError.unauthenticated(reason: reason)
                }
                context.principal = principal
                let identity = principal.identity
                decision = try take(perPrincipal, "\(identity.kind.rawValue):\(identity.id ?? 0)")
            }
            response = try await next(request, context)
        } catch {
            response = ProblemMiddleware<Context>.response(for: error, context: context)
        }
        // A refusal further in (a password limit) has already described the bucket that refused.
        if let decision, response.headers[.rateLimitLimit] == nil {
            decision.describe(in: &response.headers)
        }
        return response
    }

    /// Takes a token from `limiter` for `key`; throws the refusal when there is none.
    private func take(_ limiter: RateLimiter, _ key: String) throws -> RateLimiter.Decision {
        let decision = limiter.take(key)
        guard decision.allowed else { throw RateLimitExceeded(decision: decision) }
        return decision
    }

    private func addressKey(_ context: Context) -> String {
        "address:" + (context.clientAddress ?? "unknown")
    }
}

extension RateLimiter.Decision {
    /// The `RateLimit-*` headers of this bucket.
    func describe(in headers: inout HTTPFields) {
        headers[.rateLimitLimit] = String(limit)
        headers[.rateLimitRemaining] = String(remaining)
        headers[.rateLimitReset] = String(resetSeconds)
    }
}

extension HTTPField.Name {
    static let rateLimitLimit = HTTPField.Name("RateLimit-Limit")!
    static let rateLimitRemaining = HTTPField.Name("RateLimit-Remaining")!
    static let rateLimitReset = HTTPField.Name("RateLimit-Reset")!
}

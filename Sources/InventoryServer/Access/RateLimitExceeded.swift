/// A refusal by one of the rate limiters, with the state of the bucket that refused, so the 429
/// carries `Retry-After` and `RateLimit-*` headers describing that bucket and not another.
struct RateLimitExceeded: Error {
    var decision: RateLimiter.Decision
}

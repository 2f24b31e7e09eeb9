import InventoryCore

/// How callers prove who they are, and how fast they may call. The executable fills it from flags
/// and the environment; tests build their own.
public struct AccessConfiguration: Sendable {
    /// The HMAC-SHA256 key that signs access tokens. Every instance behind one load balancer needs
    /// the same key, or a token signed by one is refused by another.
    public var tokenSigningKey: [UInt8]
    /// How long an access token is honoured: short, because it cannot be revoked before it expires.
    public var accessTokenLifetime: Duration
    /// How long a refresh token may wait before it is exchanged.
    public var refreshTokenLifetime: Duration
    /// The bcrypt cost of new password hashes: 12 takes about a quarter of a second per check on a server core.
    public var bcryptCost: UInt8
    public var rateLimits: RateLimitConfiguration
    /// Verified access tokens remembered until they expire, so a token's signature is checked once
    /// rather than on every call (about half a kilobyte each); also the most verified passwords and
    /// users' versions remembered.
    public var verifiedTokensMax: Int
    /// How long a verified HTTP Basic password is remembered: long enough that a busy till pays for
    /// one bcrypt a minute rather than one a request, short enough to bound what memory holds.
    public var verifiedPasswordLifetime: Duration
    /// How soon a change to a user made elsewhere (the command line, another instance) ends tokens
    /// issued before it; a change through this server does so at once.
    public var userRecheckAfter: Duration

    public init(
        tokenSigningKey: [UInt8], accessTokenLifetime: Duration = .seconds(15 * 60),
        refreshTokenLifetime: Duration = .seconds(30 * 24 * 3600), bcryptCost: UInt8 = 12,
        rateLimits: RateLimitConfiguration = RateLimitConfiguration(), verifiedTokensMax: Int = 10_000,
        verifiedPasswordLifetime: Duration = Limits.verifiedPasswordLifetime,
        userRecheckAfter: Duration = Limits.userRecheckInterval
    ) {
        precondition(tokenSigningKey.count >= 32, "the token signing key needs at least 32 bytes")
        precondition((4...31).contains(bcryptCost), "bcrypt cost must be between 4 and 31")
        self.tokenSigningKey = tokenSigningKey
        self.accessTokenLifetime = accessTokenLifetime
        self.refreshTokenLifetime = refreshTokenLifetime
        self.bcryptCost = bcryptCost
        self.rateLimits = rateLimits
        self.verifiedTokensMax = verifiedTokensMax
        self.verifiedPasswordLifetime = verifiedPasswordLifetime
        self.userRecheckAfter = userRecheckAfter
    }
}

/// The token buckets that limit callers.
public struct RateLimitConfiguration: Sendable {
    /// Each user or API key: a point-of-sale device makes a few calls a second; this leaves room for bursts.
    public var perPrincipal: TokenBucketRule
    /// Each client address, for calls without valid credentials (logging in, refreshing, and any
    /// /v1 call that carries no credentials or wrong ones).
    public var perAddress: TokenBucketRule
    /// Failed password attempts (login or HTTP Basic) per username from one client address.
    public var loginPerUsername: TokenBucketRule
    /// Failed password attempts per client address, whatever the username; also the failures per
    /// username from all addresses past which each attempt for it is slowed by `loginSlowdown`.
    public var loginPerAddress: TokenBucketRule
    /// The wait before each password check of a username that many addresses are failing at.
    public var loginSlowdown: Duration
    /// Keys each limiter remembers; past this it forgets full buckets first, then the longest idle.
    public var trackedKeysMax: Int

    public init(
        perPrincipal: TokenBucketRule = TokenBucketRule(capacity: 600, refillEvery: .milliseconds(20)),
        perAddress: TokenBucketRule = TokenBucketRule(capacity: 120, refillEvery: .milliseconds(500)),
        loginPerUsername: TokenBucketRule = TokenBucketRule(capacity: 5, refillEvery: .seconds(180)),
        loginPerAddress: TokenBucketRule = TokenBucketRule(capacity: 20, refillEvery: .seconds(45)),
        loginSlowdown: Duration = Limits.loginSlowdown, trackedKeysMax: Int = 100_000
    ) {
        self.perPrincipal = perPrincipal
        self.perAddress = perAddress
        self.loginPerUsername = loginPerUsername
        self.loginPerAddress = loginPerAddress
        self.loginSlowdown = loginSlowdown
        self.trackedKeysMax = trackedKeysMax
    }
}

/// A bucket of `capacity` tokens, one of which comes back every `refillEvery`.
public struct TokenBucketRule: Sendable, Hashable {
    public var capacity: Int
    public var refillEvery: Duration

    public init(capacity: Int, refillEvery: Duration) {
        precondition(capacity > 0 && refillEvery > .zero, "a token bucket needs tokens and a refill time")
        self.capacity = capacity
        self.refillEvery = refillEvery
    }
}

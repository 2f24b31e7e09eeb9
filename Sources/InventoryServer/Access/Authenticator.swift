import Foundation
import HTTPTypes
import HummingbirdAuth
import HummingbirdBcrypt
import InventoryCore
import JWTKit
import NIOPosix

/// Checks credentials (HTTP Basic, signed access tokens, API keys) and issues and rotates tokens.
struct Authenticator<Storage: InventoryStorage>: Sendable {
    let storage: Storage
    let configuration: AccessConfiguration
    private let keys: JWTKeyCollection
    private let verifiedTokens: VerifiedTokens
    private let passwordAttemptsPerUsername: RateLimiter
    private let passwordAttemptsPerAddress: RateLimiter
    /// Checked when the username is unknown, so that failing takes as long either way.
    private let decoyHash: String

    init(storage: Storage, configuration: AccessConfiguration) async {
        self.storage = storage
        self.configuration = configuration
        keys = JWTKeyCollection()
        verifiedTokens = VerifiedTokens(capacity: configuration.verifiedTokensMax)
        await keys.add(hmac: HMACKey(from: Data(configuration.tokenSigningKey)), digestAlgorithm: .sha256)
        let limits = configuration.rateLimits
        passwordAttemptsPerUsername = RateLimiter(rule: limits.loginPerUsername, keysMax: limits.trackedKeysMax)
        passwordAttemptsPerAddress = RateLimiter(rule: limits.loginPerAddress, keysMax: limits.trackedKeysMax)
        decoyHash = Bcrypt.hash(Secrets.random(), cost: configuration.bcryptCost)
    }

    /// The caller named by the `Authorization` header; nil without one.
    func authenticate(_ headers: HTTPFields, origin: RequestOrigin) async throws -> Principal? {
        guard let authorization = headers[.authorization] else { return nil }
        if let basic = headers.basic {
            return try await checkPassword(username: basic.username, password: basic.password, origin: origin).principal
        }
        guard let bearer = headers.bearer?.token, !bearer.isEmpty, bearer.utf8.count <= 4096 else {
            throw InventoryError.unauthenticated(
                reason: authorization.hasPrefix("Basic ")
                    ? "the Basic credentials are not base64 of username:password"
                    : "use HTTP Basic, or Bearer with an access token or API key")
        }
        if bearer.hasPrefix(Secrets.apiKeyPrefix) {
            guard let key = try await storage.apiKey(secretHash: Secrets.sha256Hex(bearer)) else {
                throw InventoryError.unauthenticated(reason: "the API key is unknown or revoked")
            }
            return key.principal
        }
        if let principal = verifiedTokens.principal(for: bearer) { return principal }
        guard let token = try? await keys.verify(bearer, as: AccessToken.self), let principal = token.principal else {
            throw InventoryError.unauthenticated(reason: "the access token is invalid or expired; refresh it or log in")
        }
        verifiedTokens.remember(bearer, as: principal, expires: token.expiration.value)
        return principal
    }

    /// The active user with this username and password. Every attempt takes a token from the
    /// username's and the address's login buckets; a right password gives them back.
    func checkPassword(username: String, password: String, origin: RequestOrigin) async throws -> User {
        let username = String(username.trimmingWhitespace().lowercased().prefix(Limits.usernameLengthMax))
        let address = origin.clientAddress ?? "unknown"
        let byUsername = passwordAttemptsPerUsername.take(username)
        let byAddress = passwordAttemptsPerAddress.take(address)
        guard byUsername.allowed, byAddress.allowed else {
            if byUsername.allowed { passwordAttemptsPerUsername.refund(username) }
            if byAddress.allowed { passwordAttemptsPerAddress.refund(address) }
            throw InventoryError.rateLimited(
                retryAfterSeconds: max(
                    byUsername.allowed ? 0 : byUsername.retryAfterSeconds,
                    byAddress.allowed ? 0 : byAddress.retryAfterSeconds))
        }
        let credential = try await storage.credential(username: username)
        let hash = credential?.passwordHash ?? decoyHash
        let matches = try await NIOThreadPool.singleton.runIfActive {
            Bcrypt.verify(password, hash: hash)
        }
        guard matches, let user = credential?.user, user.active else {
            try await storage.recordLoginAttempt(
                LoginAttempt(username: username, userID: credential?.user.id, outcome: .failed),
                by: origin.change(actor: Identity(kind: .anonymous, id: nil, name: username), role: nil))
            throw InventoryError.unauthenticated(reason: "wrong username or password")
        }
        passwordAttemptsPerUsername.refund(username)
        passwordAttemptsPerAddress.refund(address)
        return user
    }

    /// Logs in: a signed access token and a refresh token that starts a new family.
    func login(username: String, password: String, origin: RequestOrigin) async throws -> IssuedTokens {
        let user = try await checkPassword(username: username, password: password, origin: origin)
        let refreshToken = Secrets.random()
        try await storage.grantRefreshToken(
            refreshGrant(refreshToken, userID: user.id, familyID: UUID().uuidString),
            by: origin.change(actor: user.principal.identity, role: user.role))
        return IssuedTokens(accessToken: try await sign(user), refreshToken: refreshToken, expiresIn: expiresIn)
    }

    /// Exchanges a refresh token for a new pair; presenting a spent one revokes its whole family.
    func refresh(_ refreshToken: String, origin: RequestOrigin) async throws -> IssuedTokens {
        let next = Secrets.random()
        let outcome = try await storage.rotateRefreshToken(
            tokenHash: Secrets.sha256Hex(refreshToken), next: refreshGrant(next, userID: 0, familyID: ""),
            by: origin.change(actor: Identity(kind: .anonymous, id: nil, name: "refresh token"), role: nil))
        switch outcome {
        case .rotated(let user):
            return IssuedTokens(accessToken: try await sign(user), refreshToken: next, expiresIn: expiresIn)
        case .reused:
            throw InventoryError.unauthenticated(
                reason: "the refresh token was already used; every session it started is now revoked")
        case .invalid:
            throw InventoryError.unauthenticated(reason: "the refresh token is invalid, expired or revoked")
        }
    }

    /// Revokes the family of a refresh token (its session on every device it was rotated to).
    func logout(_ refreshToken: String, origin: RequestOrigin) async throws {
        try await storage.revokeRefreshToken(
            tokenHash: Secrets.sha256Hex(refreshToken),
            by: origin.change(actor: Identity(kind: .anonymous, id: nil, name: "refresh token"), role: nil))
    }

    /// A bcrypt hash of a new password, computed off the event loop.
    func hashPassword(_ password: String) async throws -> String {
        try User.validatePassword(password)
        let cost = configuration.bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    private func sign(_ user: User) async throws -> String {
        try await keys.sign(AccessToken(user: user, lifetime: configuration.accessTokenLifetime))
    }

    private var expiresIn: Int { Int(configuration.accessTokenLifetime.components.seconds) }

    private func refreshGrant(_ token: String, userID: Int64, familyID: String) -> RefreshTokenGrant {
        RefreshTokenGrant(
            tokenHash: Secrets.sha256Hex(token), familyID: familyID, userID: userID,
            expiresAt: Date().addingTimeInterval(TimeInterval(configuration.refreshTokenLifetime.components.seconds)))
    }
}

/// A fresh access token and refresh token.
struct IssuedTokens: Sendable {
    var accessToken: String
    var refreshToken: String
    /// Seconds the access token is honoured.
    var expiresIn: Int
}

/// Where a request came from, for the audit log.
struct RequestOrigin: Sendable {
    var requestID: String
    var clientAddress: String?

    func change(actor: Identity, role: Role?) -> ChangeContext {
        ChangeContext(actor: actor, role: role, requestID: requestID, clientAddress: clientAddress)
    }
}

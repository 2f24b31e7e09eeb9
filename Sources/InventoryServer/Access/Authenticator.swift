import Foundation
import HTTPTypes
import HummingbirdAuth
import HummingbirdBcrypt
import InventoryCore
import InventoryDigest
import JWTKit
import NIOPosix

/// Checks credentials (HTTP Basic, signed access tokens, API keys) and issues and rotates tokens.
struct Authenticator<Storage: AccessReader & AccessWriter>: Sendable {
    let storage: Storage
    let configuration: AccessConfiguration
    private let time: any TimeSource
    private let keys: JWTKeyCollection
    private let verifiedTokens: VerifiedTokens
    private let verifiedPasswords: VerifiedPasswords
    private let userVersions: UserVersions
    private let passwordAttempts: PasswordAttempts
    /// Checked when the username is unknown, so that failing takes as long either way.
    private let decoyHash: String

    init(storage: Storage, configuration: AccessConfiguration, time: any TimeSource) async {
        self.storage = storage
        self.configuration = configuration
        self.time = time
        keys = JWTKeyCollection()
        verifiedTokens = VerifiedTokens(capacity: configuration.verifiedTokensMax, time: time)
        verifiedPasswords = VerifiedPasswords(
            lifetime: configuration.verifiedPasswordLifetime, capacity: configuration.verifiedTokensMax, time: time)
        userVersions = UserVersions(
            recheckAfter: configuration.userRecheckAfter, capacity: configuration.verifiedTokensMax, time: time)
        await keys.add(hmac: HMACKey(from: Data(configuration.tokenSigningKey)), digestAlgorithm: .sha256)
        passwordAttempts = PasswordAttempts(configuration: configuration.rateLimits, time: time)
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
            guard let key = try await storage.apiKey(secretHash: Digest.sha256Hex(bearer)) else {
                throw InventoryError.unauthenticated(reason: "the API key is unknown or revoked")
            }
            return key.principal
        }
        let verified: (principal: Principal, version: Int64)
        if let remembered = verifiedTokens.principal(for: bearer) {
            verified = remembered
        } else {
            guard let token = try? await keys.verify(bearer, as: AccessToken.self), let principal = token.principal,
                token.expiration.value > time.now
            else {
                throw InventoryError.unauthenticated(
                    reason: "the access token is invalid or expired; refresh it or log in")
            }
            verifiedTokens.remember(bearer, as: principal, version: token.version, expires: token.expiration.value)
            verified = (principal, token.version)
        }
        guard try await isCurrent(userID: verified.principal.identity.id ?? 0, version: verified.version) else {
            throw InventoryError.unauthenticated(
                reason:
                    "the account changed (role, stores, password or deactivation) since this token was issued; refresh it or log in"
            )
        }
        return verified.principal
    }

    /// The active user with this username and password.
    ///
    /// Credentials verified within the last minute are answered from memory while the user is
    /// unchanged; simultaneous requests with the same credentials share one check. Only wrong
    /// passwords count against the limits (see `PasswordAttempts`).
    func checkPassword(username: String, password: String, origin: RequestOrigin) async throws -> User {
        let username = String(username.trimmingWhitespace().lowercased().prefix(Limits.usernameLengthMax))
        let fingerprint = verifiedPasswords.fingerprint(username: username, password: password)
        if let user = verifiedPasswords.user(for: fingerprint),
            try await isCurrent(userID: user.id, version: UserVersions.version(of: user))
        {
            return user
        }
        return try await verifiedPasswords.coalescing(fingerprint) {
            let attempt = try await passwordAttempts.begin(
                username: username, address: origin.clientAddress ?? "unknown")
            let credential: StoredCredential?
            let matches: Bool
            do {
                credential = try await storage.credential(username: username)
                let hash = credential?.passwordHash ?? decoyHash
                // bcrypt reads up to a NUL byte, so a password holding one is refused outright: no
                // stored password can contain one, and "abc\u{0}…" must not pass as "abc".
                let checkable = !password.utf8.contains(0)
                matches =
                    try await NIOThreadPool.singleton.runIfActive {
                        Bcrypt.verify(checkable ? password : Secrets.random(), hash: hash)
                    } && checkable
            } catch {
                passwordAttempts.abandoned(attempt)
                throw error
            }
            guard matches, let user = credential?.user, user.active else {
                passwordAttempts.failed(attempt)
                try await storage.recordLoginAttempt(
                    LoginAttempt(username: username, userID: credential?.user.id, outcome: .failed),
                    by: origin.change(actor: Identity(kind: .anonymous, id: nil, name: username), role: nil))
                throw InventoryError.unauthenticated(reason: "wrong username or password")
            }
            passwordAttempts.succeeded(attempt)
            userVersions.record(user)
            verifiedPasswords.remember(fingerprint, as: user)
            return user
        }
    }

    /// True while user `userID` is active and unchanged since `version`.
    private func isCurrent(userID: Int64, version: Int64) async throws -> Bool {
        try await userVersions.isCurrent(userID: userID, version: version) { id in
            do {
                return try await storage.user(id: id)
            } catch InventoryError.userNotFound {
                return nil
            }
        }
    }

    /// Records a change to `user` made through this server: tokens and remembered passwords issued
    /// before it stop working on the next request.
    func userChanged(_ user: User) {
        userVersions.record(user)
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
            tokenHash: Digest.sha256Hex(refreshToken), next: refreshGrant(next, userID: 0, familyID: ""),
            by: origin.change(actor: Identity(kind: .anonymous, id: nil, name: "refresh token"), role: nil))
        switch outcome {
        case .rotated(let user):
            userVersions.record(user)
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
            tokenHash: Digest.sha256Hex(refreshToken),
            by: origin.change(actor: Identity(kind: .anonymous, id: nil, name: "refresh token"), role: nil))
    }

    /// A bcrypt hash of a new password, computed off the event loop.
    func hashPassword(_ password: String) async throws -> String {
        try User.validatePassword(password)
        let cost = configuration.bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    private func sign(_ user: User) async throws -> String {
        try await keys.sign(AccessToken(user: user, lifetime: configuration.accessTokenLifetime, now: time.now))
    }

    private var expiresIn: Int { Int(configuration.accessTokenLifetime.components.seconds) }

    private func refreshGrant(_ token: String, userID: Int64, familyID: String) -> RefreshTokenGrant {
        RefreshTokenGrant(
            tokenHash: Digest.sha256Hex(token), familyID: familyID, userID: userID,
            expiresAt: time.now.addingTimeInterval(TimeInterval(configuration.refreshTokenLifetime.components.seconds)))
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

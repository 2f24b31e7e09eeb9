import Foundation

/// One refresh token as stored: only its hash, the family it belongs to (one per login), and whether
/// it was already exchanged. Presenting an exchanged token again revokes the whole family.
public struct RefreshTokenGrant: Sendable, Hashable {
    public var tokenHash: String
    /// Every token descending from one login shares the family.
    public var familyID: String
    public var userID: Int64
    public var expiresAt: Date

    public init(tokenHash: String, familyID: String, userID: Int64, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.familyID = familyID
        self.userID = userID
        self.expiresAt = expiresAt
    }
}

/// What exchanging a refresh token found.
public enum RefreshOutcome: Sendable, Hashable {
    /// The token was live: it is now spent, and `next` is stored in its place; `user` is who it belongs to.
    case rotated(user: User)
    /// The token had been exchanged before: someone replays it, so its family is revoked.
    case reused
    /// Unknown, expired, revoked, or its user was deactivated.
    case invalid
}

/// A login attempt, written to the audit log whether or not it succeeded.
public struct LoginAttempt: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        case succeeded = "auth.login"
        case failed = "auth.login_failed"
        case refreshReused = "auth.refresh_reused"
        case loggedOut = "auth.logout"
    }

    public var username: String
    public var userID: Int64?
    public var outcome: Outcome

    public init(username: String, userID: Int64?, outcome: Outcome) {
        self.username = username
        self.userID = userID
        self.outcome = outcome
    }
}

extension AuditRecord {
    /// The audit record of a login, logout, failed login or refresh-token reuse.
    public static func login(_ outcome: LoginAttempt.Outcome, username: String, userID: Int64?) -> AuditRecord {
        AuditRecord(action: outcome.rawValue, entityType: "user", entityID: userID.map { String($0) } ?? username)
    }
}

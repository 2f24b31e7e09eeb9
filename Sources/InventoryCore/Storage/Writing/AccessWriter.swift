/// Changes users, API keys and sessions, and records sign-ins; each change is audited.
public protocol AccessWriter: Sendable {
    /// Creates the user `admin` with this password hash when there is no user at all; false when there was one.
    func bootstrapAdmin(passwordHash: String, by context: ChangeContext) async throws -> Bool
    @discardableResult
    func createUser(_ draft: UserDraft, by context: ChangeContext) async throws -> User
    /// Changes a user's role, stores, password or active flag; deactivating also revokes their refresh tokens.
    func updateUser(id: Int64, changes: UserChanges, by context: ChangeContext) async throws -> User

    @discardableResult
    func createAPIKey(_ draft: APIKeyDraft, by context: ChangeContext) async throws -> APIKey
    func revokeAPIKey(id: Int64, by context: ChangeContext) async throws

    /// Stores a new refresh token (a sign-in) and audits the sign-in.
    func grantRefreshToken(_ grant: RefreshTokenGrant, by context: ChangeContext) async throws
    /// Spends the token hashing to `tokenHash` and stores `next` in its place, in one transaction.
    /// A token spent before revokes its family and answers `.reused`.
    func rotateRefreshToken(tokenHash: String, next: RefreshTokenGrant, by context: ChangeContext) async throws
        -> RefreshOutcome
    /// Revokes the family of the token hashing to `tokenHash` (a sign-out); unknown tokens change nothing.
    func revokeRefreshToken(tokenHash: String, by context: ChangeContext) async throws
    /// Audits a sign-in attempt that changed nothing (a failure).
    func recordLoginAttempt(_ attempt: LoginAttempt, by context: ChangeContext) async throws
}

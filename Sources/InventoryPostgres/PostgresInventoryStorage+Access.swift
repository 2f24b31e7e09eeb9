import Foundation
import InventoryCore
import PostgresNIO

extension PostgresInventoryStorage {
    public func bootstrapAdmin(passwordHash: String, by context: ChangeContext) async throws -> Bool {
        try await transaction { connection in
            // Several instances may start at once on an empty database; one of them creates the admin.
            try await connection.query("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE", logger: self.logger)
            let count = try await connection.query("SELECT count(*)::INT8 FROM users", logger: self.logger)
                .collectRows { try $0[0].decode(Int64.self) }[0]
            guard count == 0 else { return false }
            _ = try await self.insertUser(
                connection, try UserDraft(username: "admin", passwordHash: passwordHash, role: .admin, storeIDs: []),
                context, now: self.now)
            return true
        }
    }

    public func createUser(_ draft: UserDraft, by context: ChangeContext) async throws -> User {
        try await transaction { connection in try await self.insertUser(connection, draft, context, now: self.now) }
    }

    private func insertUser(_ connection: GuardedConnection, _ draft: UserDraft, _ context: ChangeContext, now: Date)
        async throws -> User
    {
        for storeID in draft.storeIDs { _ = try await Self.requireStore(connection, id: storeID, logger: logger) }
        let ids = try await connection.query(
            """
            INSERT INTO users (username, password_hash, role, active, created_at, updated_at)
            VALUES (\(draft.username), \(draft.passwordHash), \(draft.role.rawValue), true, \(now), \(now))
            ON CONFLICT (username) DO NOTHING RETURNING id
            """, logger: logger
        ).collectRows { try $0[0].decode(Int64.self) }
        guard let id = ids.first else { throw InventoryError.duplicateUsername(draft.username) }
        try await assignStores(connection, .users, id: id, storeIDs: draft.storeIDs)
        let user = try await requireUser(connection, id: id)
        try await appendAudit(connection, .userCreated(user), context, now: now)
        return user
    }

    /// The tables assigning stores to users and to API keys.
    private enum Assignment {
        case users, apiKeys

        var table: String { self == .users ? "user_stores" : "api_key_stores" }
        var owner: String { self == .users ? "user_id" : "api_key_id" }
    }

    private func assignStores(_ connection: GuardedConnection, _ assignment: Assignment, id: Int64, storeIDs: [Int64])
        async throws
    {
        try await connection.query(
            "DELETE FROM \(unescaped: assignment.table) WHERE \(unescaped: assignment.owner) = \(id)", logger: logger)
        try await connection.query(
            """
            INSERT INTO \(unescaped: assignment.table) (\(unescaped: assignment.owner), store_id)
            SELECT \(id), unnest(\(storeIDs)::INT8[])
            """, logger: logger)
    }

    private static let userSelect = """
        SELECT u.*, ARRAY(SELECT store_id FROM user_stores WHERE user_id = u.id ORDER BY store_id) AS store_ids
        FROM users u
        """

    func requireUser(_ connection: GuardedConnection, id: Int64) async throws -> User {
        let users = try await connection.query("\(unescaped: Self.userSelect) WHERE u.id = \(id)", logger: logger)
            .collectRows(Self.user)
        guard let user = users.first else { throw InventoryError.userNotFound(id: id) }
        return user
    }

    public func user(id: Int64) async throws -> User {
        try await access { try await self.requireUser($0, id: id) }
    }

    public func listUsers(_ page: PageRequest) async throws -> Page<User> {
        try await access { connection in
            let rows = try await connection.query(
                "\(unescaped: Self.userSelect) WHERE u.id > \(page.after ?? 0) ORDER BY u.id LIMIT \(page.limit + 1)",
                logger: self.logger
            ).collectRows(Self.user)
            return Page(fetched: rows, request: page, sortKey: \.id)
        }
    }

    public func updateUser(id: Int64, changes: UserChanges, by context: ChangeContext) async throws -> User {
        try await transaction { connection in
            try await connection.query("SELECT 1 FROM users WHERE id = \(id) FOR UPDATE", logger: self.logger)
            let current = try await self.requireUser(connection, id: id)
            let now = self.now
            let changed = try changes.applied(to: current, at: now)
            for storeID in changed.storeIDs where !current.storeIDs.contains(storeID) {
                _ = try await Self.requireStore(connection, id: storeID, logger: self.logger)
            }
            try await connection.query(
                """
                UPDATE users SET role = \(changed.role.rawValue), active = \(changed.active),
                    updated_at = \(changed.updatedAt), password_hash = COALESCE(\(changes.passwordHash), password_hash)
                WHERE id = \(id)
                """, logger: self.logger)
            try await self.assignStores(connection, .users, id: id, storeIDs: changed.storeIDs)
            if !changed.active || changes.passwordHash != nil {
                // A deactivated user, or one whose password changed, keeps no session alive.
                try await connection.query(
                    "UPDATE refresh_tokens SET revoked_at = \(now) WHERE user_id = \(id) AND revoked_at IS NULL",
                    logger: self.logger)
            }
            let user = try await self.requireUser(connection, id: id)
            try await self.appendAudit(
                connection, .userUpdated(before: current, after: user, passwordChanged: changes.passwordHash != nil),
                context, now: now)
            return user
        }
    }

    public func credential(username: String) async throws -> StoredCredential? {
        try await access { connection in
            try await connection.query(
                "\(unescaped: Self.userSelect) WHERE u.username = \(username)", logger: self.logger
            )
            .collectRows { row in
                StoredCredential(user: try Self.user(row), passwordHash: try row["password_hash"].decode(String.self))
            }.first
        }
    }

    static func user(_ row: PostgresRandomAccessRow) throws -> User {
        User(
            id: try row["id"].decode(Int64.self), username: try row["username"].decode(String.self),
            role: Role(rawValue: try row["role"].decode(String.self))!,
            storeIDs: try row["store_ids"].decode([Int64].self), active: try row["active"].decode(Bool.self),
            createdAt: try timestamp(row["created_at"]), updatedAt: try timestamp(row["updated_at"]))
    }

    // MARK: API keys

    public func createAPIKey(_ draft: APIKeyDraft, by context: ChangeContext) async throws -> APIKey {
        try await transaction { connection in
            for storeID in draft.storeIDs {
                _ = try await Self.requireStore(connection, id: storeID, logger: self.logger)
            }
            let now = self.now
            let id = try await connection.query(
                """
                INSERT INTO api_keys (name, role, prefix, secret_hash, created_at)
                VALUES (\(draft.name), \(draft.role.rawValue), \(draft.prefix), \(draft.secretHash), \(now))
                RETURNING id
                """, logger: self.logger
            ).collectRows { try $0[0].decode(Int64.self) }[0]
            try await self.assignStores(connection, .apiKeys, id: id, storeIDs: draft.storeIDs)
            let key = try await self.apiKeys(connection, "k.id = \(id)").first!
            try await self.appendAudit(connection, .apiKeyCreated(key), context, now: now)
            return key
        }
    }

    /// The keys matching `condition`, by id.
    private func apiKeys(_ connection: GuardedConnection, _ condition: QueryFragment, limit: Int = 1) async throws
        -> [APIKey]
    {
        let statement: QueryFragment = """
            SELECT k.*, ARRAY(SELECT store_id FROM api_key_stores WHERE api_key_id = k.id ORDER BY store_id) AS store_ids
            FROM api_keys k WHERE \(condition) ORDER BY k.id LIMIT \(limit)
            """
        return try await connection.query(statement.query, logger: logger).collectRows(Self.apiKey)
    }

    public func listAPIKeys(_ page: PageRequest) async throws -> Page<APIKey> {
        try await access { connection in
            let keys = try await self.apiKeys(connection, "k.id > \(page.after ?? 0)", limit: page.limit + 1)
            return Page(fetched: keys, request: page, sortKey: \.id)
        }
    }

    public func revokeAPIKey(id: Int64, by context: ChangeContext) async throws {
        try await transaction { connection in
            try await connection.query("SELECT 1 FROM api_keys WHERE id = \(id) FOR UPDATE", logger: self.logger)
            guard let current = try await self.apiKeys(connection, "k.id = \(id) AND k.revoked_at IS NULL").first
            else { throw InventoryError.apiKeyNotFound(id: id) }
            let now = self.now
            try await connection.query("UPDATE api_keys SET revoked_at = \(now) WHERE id = \(id)", logger: self.logger)
            let revoked = try await self.apiKeys(connection, "k.id = \(id)").first!
            try await self.appendAudit(connection, .apiKeyRevoked(before: current, after: revoked), context, now: now)
        }
    }

    public func apiKey(secretHash: String) async throws -> APIKey? {
        try await access { connection in
            try await self.apiKeys(connection, "k.secret_hash = \(secretHash) AND k.revoked_at IS NULL").first
        }
    }

    static func apiKey(_ row: PostgresRandomAccessRow) throws -> APIKey {
        APIKey(
            id: try row["id"].decode(Int64.self), name: try row["name"].decode(String.self),
            role: Role(rawValue: try row["role"].decode(String.self))!,
            storeIDs: try row["store_ids"].decode([Int64].self), prefix: try row["prefix"].decode(String.self),
            createdAt: try timestamp(row["created_at"]), revokedAt: try optionalTimestamp(row["revoked_at"]))
    }

    // MARK: Refresh tokens and logins

    public func grantRefreshToken(_ grant: RefreshTokenGrant, by context: ChangeContext) async throws {
        try await transaction { connection in
            let now = self.now
            try await self.insertRefreshToken(connection, grant, now: now)
            try await self.appendAudit(
                connection, .login(.succeeded, username: context.actor.name, userID: grant.userID), context, now: now)
        }
    }

    private func insertRefreshToken(_ connection: GuardedConnection, _ grant: RefreshTokenGrant, now: Date) async throws
    {
        try await connection.query(
            """
            INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at)
            VALUES (\(grant.tokenHash), \(grant.familyID), \(grant.userID), \(now), \(grant.expiresAt))
            """, logger: logger)
    }

    public func rotateRefreshToken(tokenHash: String, next: RefreshTokenGrant, by context: ChangeContext)
        async throws -> RefreshOutcome
    {
        try await transaction { connection in
            let now = self.now
            // FOR UPDATE: of two concurrent exchanges of one token, the second sees it spent.
            let rows = try await connection.query(
                """
                SELECT family_id, user_id, expires_at > \(now) AS live, spent_at IS NOT NULL AS spent,
                    revoked_at IS NOT NULL AS revoked
                FROM refresh_tokens WHERE token_hash = \(tokenHash) FOR UPDATE
                """, logger: self.logger
            ).collectRows { row in
                (
                    family: try row["family_id"].decode(String.self), userID: try row["user_id"].decode(Int64.self),
                    live: try row["live"].decode(Bool.self), spent: try row["spent"].decode(Bool.self),
                    revoked: try row["revoked"].decode(Bool.self)
                )
            }
            guard let token = rows.first else { return .invalid }
            let user = try await self.requireUser(connection, id: token.userID)
            if token.spent {
                try await self.revokeFamily(connection, token.family, now: now)
                try await self.appendAudit(
                    connection, .login(.refreshReused, username: user.username, userID: user.id), context, now: now)
                return .reused
            }
            guard token.live, !token.revoked, user.active else { return .invalid }
            try await connection.query(
                "UPDATE refresh_tokens SET spent_at = \(now) WHERE token_hash = \(tokenHash)", logger: self.logger)
            var next = next
            next.familyID = token.family
            next.userID = token.userID
            try await self.insertRefreshToken(connection, next, now: now)
            return .rotated(user: user)
        }
    }

    public func revokeRefreshToken(tokenHash: String, by context: ChangeContext) async throws {
        try await transaction { connection in
            let rows = try await connection.query(
                """
                SELECT family_id, user_id FROM refresh_tokens WHERE token_hash = \(tokenHash) AND revoked_at IS NULL
                FOR UPDATE
                """, logger: self.logger
            ).collectRows { row in (try row["family_id"].decode(String.self), try row["user_id"].decode(Int64.self)) }
            guard let (family, userID) = rows.first else { return }
            let now = self.now
            try await self.revokeFamily(connection, family, now: now)
            let user = try await self.requireUser(connection, id: userID)
            try await self.appendAudit(
                connection, .login(.loggedOut, username: user.username, userID: userID), context, now: now)
        }
    }

    private func revokeFamily(_ connection: GuardedConnection, _ family: String, now: Date) async throws {
        try await connection.query(
            "UPDATE refresh_tokens SET revoked_at = \(now) WHERE family_id = \(family) AND revoked_at IS NULL",
            logger: logger)
    }

    public func recordLoginAttempt(_ attempt: LoginAttempt, by context: ChangeContext) async throws {
        try await transaction { connection in
            try await self.appendAudit(
                connection, .login(attempt.outcome, username: attempt.username, userID: attempt.userID), context,
                now: self.now)
        }
    }
}

import Foundation
import GRDB
import InventoryCore

extension SQLiteInventoryStorage {
    public func bootstrapAdmin(passwordHash: String, by context: ChangeContext) async throws -> Bool {
        try await write { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM users") == 0 else { return false }
            _ = try Self.insertUser(
                db, try UserDraft(username: "admin", passwordHash: passwordHash, role: .admin, storeIDs: []), context)
            return true
        }
    }

    public func createUser(_ draft: UserDraft, by context: ChangeContext) async throws -> User {
        try await write { db in try Self.insertUser(db, draft, context) }
    }

    private static func insertUser(_ db: Database, _ draft: UserDraft, _ context: ChangeContext) throws -> User {
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE username = ?)", arguments: [draft.username]) == true {
            throw InventoryError.duplicateUsername(draft.username)
        }
        for storeID in draft.storeIDs { _ = try requireStore(db, id: storeID) }
        let now = Date().unixMilliseconds
        let id = try Int64.fetchOne(
            db,
            sql: """
                INSERT INTO users (username, password_hash, role, active, created_at, updated_at)
                VALUES (?, ?, ?, 1, ?, ?) RETURNING id
                """,
            arguments: [draft.username, draft.passwordHash, draft.role.rawValue, now, now])!
        try assignStores(db, table: "user_stores", owner: "user_id", id: id, storeIDs: draft.storeIDs)
        let user = try requireUser(db, id: id)
        try appendAudit(db, .change("user.create", "user", id: id, before: nil, after: user), context)
        return user
    }

    private static func assignStores(_ db: Database, table: String, owner: String, id: Int64, storeIDs: [Int64]) throws {
        try db.execute(sql: "DELETE FROM \(table) WHERE \(owner) = ?", arguments: [id])
        for storeID in storeIDs {
            try db.execute(sql: "INSERT INTO \(table) (\(owner), store_id) VALUES (?, ?)", arguments: [id, storeID])
        }
    }

    public func user(id: Int64) async throws -> User {
        try await read { db in try Self.requireUser(db, id: id) }
    }

    static func requireUser(_ db: Database, id: Int64) throws -> User {
        guard let row = try Row.fetchOne(db, sql: "\(userSelect) WHERE u.id = ?", arguments: [id]) else {
            throw InventoryError.userNotFound(id: id)
        }
        return user(row)
    }

    private static let userSelect = """
        SELECT u.*, (SELECT json_group_array(store_id) FROM (SELECT store_id FROM user_stores
            WHERE user_id = u.id ORDER BY store_id)) AS store_ids
        FROM users u
        """

    public func listUsers(_ page: PageRequest) async throws -> Page<User> {
        try await read { db in
            let rows = try Row.fetchAll(
                db, sql: "\(Self.userSelect) WHERE u.id > ? ORDER BY u.id LIMIT ?",
                arguments: [page.after ?? 0, page.limit + 1])
            return Page(fetched: rows.map(Self.user), request: page, sortKey: \.id)
        }
    }

    public func updateUser(id: Int64, changes: UserChanges, by context: ChangeContext) async throws -> User {
        try await write { db in
            let current = try Self.requireUser(db, id: id)
            let changed = try changes.applied(to: current, at: Date().truncatedToMilliseconds)
            for storeID in changed.storeIDs where !current.storeIDs.contains(storeID) {
                _ = try Self.requireStore(db, id: storeID)
            }
            try db.execute(
                sql: "UPDATE users SET role = ?, active = ?, updated_at = ?, password_hash = COALESCE(?, password_hash) WHERE id = ?",
                arguments: [changed.role.rawValue, changed.active, changed.updatedAt.unixMilliseconds,
                            changes.passwordHash, id])
            try Self.assignStores(db, table: "user_stores", owner: "user_id", id: id, storeIDs: changed.storeIDs)
            if !changed.active || changes.passwordHash != nil {
                // A deactivated user, or one whose password changed, keeps no session alive.
                try db.execute(
                    sql: "UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                    arguments: [Date().unixMilliseconds, id])
            }
            let user = try Self.requireUser(db, id: id)
            let action = changes.passwordHash != nil && current == user ? "user.password" : "user.update"
            try Self.appendAudit(db, .change(action, "user", id: id, before: current, after: user), context)
            return user
        }
    }

    public func credential(username: String) async throws -> StoredCredential? {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: "\(Self.userSelect) WHERE u.username = ?", arguments: [username])
            else { return nil }
            return StoredCredential(user: Self.user(row), passwordHash: row["password_hash"])
        }
    }

    static func user(_ row: Row) -> User {
        User(
            id: row["id"], username: row["username"], role: Role(rawValue: row["role"])!,
            storeIDs: storeIDs(row["store_ids"]), active: row["active"],
            createdAt: Date(unixMilliseconds: row["created_at"]), updatedAt: Date(unixMilliseconds: row["updated_at"]))
    }

    /// Decodes the JSON array `json_group_array` builds.
    private static func storeIDs(_ json: String?) -> [Int64] {
        guard let json, let ids = try? JSONDecoder().decode([Int64].self, from: Data(json.utf8)) else { return [] }
        return ids
    }

    // MARK: API keys

    public func createAPIKey(_ draft: APIKeyDraft, by context: ChangeContext) async throws -> APIKey {
        try await write { db in
            for storeID in draft.storeIDs { _ = try Self.requireStore(db, id: storeID) }
            let id = try Int64.fetchOne(
                db,
                sql: """
                    INSERT INTO api_keys (name, role, prefix, secret_hash, created_at) VALUES (?, ?, ?, ?, ?)
                    RETURNING id
                    """,
                arguments: [draft.name, draft.role.rawValue, draft.prefix, draft.secretHash, Date().unixMilliseconds])!
            try Self.assignStores(db, table: "api_key_stores", owner: "api_key_id", id: id, storeIDs: draft.storeIDs)
            let key = try Self.requireAPIKey(db, sql: "k.id = ?", id)
            try Self.appendAudit(db, .change("api_key.create", "api_key", id: id, before: nil, after: key), context)
            return key
        }
    }

    private static let apiKeySelect = """
        SELECT k.*, (SELECT json_group_array(store_id) FROM (SELECT store_id FROM api_key_stores
            WHERE api_key_id = k.id ORDER BY store_id)) AS store_ids
        FROM api_keys k
        """

    private static func requireAPIKey(_ db: Database, sql condition: String, _ value: some DatabaseValueConvertible)
        throws -> APIKey
    {
        guard let row = try Row.fetchOne(db, sql: "\(apiKeySelect) WHERE \(condition)", arguments: [value]) else {
            throw InventoryError.apiKeyNotFound(id: value as? Int64 ?? 0)
        }
        return apiKey(row)
    }

    public func listAPIKeys(_ page: PageRequest) async throws -> Page<APIKey> {
        try await read { db in
            let rows = try Row.fetchAll(
                db, sql: "\(Self.apiKeySelect) WHERE k.id > ? ORDER BY k.id LIMIT ?",
                arguments: [page.after ?? 0, page.limit + 1])
            return Page(fetched: rows.map(Self.apiKey), request: page, sortKey: \.id)
        }
    }

    public func revokeAPIKey(id: Int64, by context: ChangeContext) async throws {
        try await write { db in
            let current = try Self.requireAPIKey(db, sql: "k.id = ? AND k.revoked_at IS NULL", id)
            try db.execute(sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ?", arguments: [Date().unixMilliseconds, id])
            let revoked = try Self.requireAPIKey(db, sql: "k.id = ?", id)
            try Self.appendAudit(db, .change("api_key.revoke", "api_key", id: id, before: current, after: revoked), context)
        }
    }

    public func apiKey(secretHash: String) async throws -> APIKey? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "\(Self.apiKeySelect) WHERE k.secret_hash = ? AND k.revoked_at IS NULL", arguments: [secretHash]
            ).map(Self.apiKey)
        }
    }

    static func apiKey(_ row: Row) -> APIKey {
        APIKey(
            id: row["id"], name: row["name"], role: Role(rawValue: row["role"])!, storeIDs: storeIDs(row["store_ids"]),
            prefix: row["prefix"], createdAt: Date(unixMilliseconds: row["created_at"]),
            revokedAt: (row["revoked_at"] as Int64?).map(Date.init(unixMilliseconds:)))
    }

    // MARK: Refresh tokens and logins

    public func grantRefreshToken(_ grant: RefreshTokenGrant, by context: ChangeContext) async throws {
        try await write { db in
            try Self.insertRefreshToken(db, grant)
            try Self.appendAudit(db, AuditRecord.login(.succeeded, username: context.actor.name, userID: grant.userID), context)
        }
    }

    private static func insertRefreshToken(_ db: Database, _ grant: RefreshTokenGrant) throws {
        try db.execute(
            sql: """
                INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?)
                """,
            arguments: [grant.tokenHash, grant.familyID, grant.userID, Date().unixMilliseconds,
                        grant.expiresAt.unixMilliseconds])
    }

    public func rotateRefreshToken(tokenHash: String, next: RefreshTokenGrant, by context: ChangeContext)
        async throws -> RefreshOutcome
    {
        try await write { db in
            let now = Date().unixMilliseconds
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM refresh_tokens WHERE token_hash = ?", arguments: [tokenHash])
            else { return .invalid }
            let familyID: String = row["family_id"]
            let userID: Int64 = row["user_id"]
            if row["spent_at"] as Int64? != nil {
                try db.execute(
                    sql: "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
                    arguments: [now, familyID])
                let user = try Self.requireUser(db, id: userID)
                try Self.appendAudit(
                    db, AuditRecord.login(.refreshReused, username: user.username, userID: userID), context)
                return .reused
            }
            let user = try Self.requireUser(db, id: userID)
            guard row["revoked_at"] as Int64? == nil, row["expires_at"] as Int64 > now, user.active else { return .invalid }
            try db.execute(sql: "UPDATE refresh_tokens SET spent_at = ? WHERE token_hash = ?", arguments: [now, tokenHash])
            var next = next
            next.familyID = familyID
            next.userID = userID
            try Self.insertRefreshToken(db, next)
            return .rotated(user: user)
        }
    }

    public func revokeRefreshToken(tokenHash: String, by context: ChangeContext) async throws {
        try await write { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT family_id, user_id FROM refresh_tokens WHERE token_hash = ? AND revoked_at IS NULL",
                arguments: [tokenHash])
            else { return }
            try db.execute(
                sql: "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
                arguments: [Date().unixMilliseconds, row["family_id"] as String])
            let user = try Self.requireUser(db, id: row["user_id"])
            try Self.appendAudit(db, AuditRecord.login(.loggedOut, username: user.username, userID: user.id), context)
        }
    }

    public func recordLoginAttempt(_ attempt: LoginAttempt, by context: ChangeContext) async throws {
        try await write { db in
            try Self.appendAudit(
                db, AuditRecord.login(attempt.outcome, username: attempt.username, userID: attempt.userID), context)
        }
    }
}

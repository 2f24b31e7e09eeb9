import Foundation
import GRDB
import InventoryCore

extension SQLiteInventoryStorage {
    public func bootstrapAdmin(passwordHash: String, by context: ChangeContext) async throws -> Bool {
        try await write { db, now in
            guard try Int.fetchOne(db, literal: "SELECT count(*) FROM users") == 0 else { return false }
            _ = try Self.insertUser(
                db, try UserDraft(username: "admin", passwordHash: passwordHash, role: .admin, storeIDs: []), context,
                now: now)
            return true
        }
    }

    public func createUser(_ draft: UserDraft, by context: ChangeContext) async throws -> User {
        try await write { db, now in try Self.insertUser(db, draft, context, now: now) }
    }

    private static func insertUser(_ db: Database, _ draft: UserDraft, _ context: ChangeContext, now: Date) throws
        -> User
    {
        if try Bool.fetchOne(db, literal: "SELECT EXISTS (SELECT 1 FROM users WHERE username = \(draft.username))")
            == true
        {
            throw InventoryError.duplicateUsername(draft.username)
        }
        for storeID in draft.storeIDs { _ = try requireStore(db, id: storeID) }
        let id = try Int64.fetchOne(
            db,
            literal: """
                INSERT INTO users (username, password_hash, role, active, created_at, updated_at)
                VALUES (\(draft.username), \(draft.passwordHash), \(draft.role.rawValue), 1, \(now.unixMilliseconds),
                    \(now.unixMilliseconds))
                RETURNING id
                """)!
        try assignStores(db, .users, id: id, storeIDs: draft.storeIDs)
        let user = try requireUser(db, id: id)
        try appendAudit(db, .userCreated(user), context, now: now)
        return user
    }

    /// The tables assigning stores to users and to API keys.
    private enum Assignment {
        case users, apiKeys

        var table: SQL { self == .users ? "user_stores" : "api_key_stores" }
        var owner: SQL { self == .users ? "user_id" : "api_key_id" }
    }

    private static func assignStores(_ db: Database, _ assignment: Assignment, id: Int64, storeIDs: [Int64]) throws {
        try db.execute(literal: "DELETE FROM \(assignment.table) WHERE \(assignment.owner) = \(id)")
        for storeID in storeIDs {
            try db.execute(
                literal: "INSERT INTO \(assignment.table) (\(assignment.owner), store_id) VALUES (\(id), \(storeID))")
        }
    }

    public func user(id: Int64) async throws -> User {
        try await read { db in try Self.requireUser(db, id: id) }
    }

    static func requireUser(_ db: Database, id: Int64) throws -> User {
        guard let row = try Row.fetchOne(db, literal: "\(userSelect) WHERE u.id = \(id)") else {
            throw InventoryError.userNotFound(id: id)
        }
        return user(row)
    }

    private static let userSelect: SQL = """
        SELECT u.*, (SELECT json_group_array(store_id) FROM (SELECT store_id FROM user_stores
            WHERE user_id = u.id ORDER BY store_id)) AS store_ids
        FROM users u
        """

    public func listUsers(_ page: PageRequest) async throws -> Page<User> {
        try await read { db in
            let rows = try Row.fetchAll(
                db, literal: "\(Self.userSelect) WHERE u.id > \(page.after ?? 0) ORDER BY u.id LIMIT \(page.limit + 1)")
            return Page(fetched: rows.map(Self.user), request: page, sortKey: \.id)
        }
    }

    public func updateUser(id: Int64, changes: UserChanges, by context: ChangeContext) async throws -> User {
        try await write { db, now in
            let current = try Self.requireUser(db, id: id)
            let changed = try changes.applied(to: current, at: now)
            for storeID in changed.storeIDs where !current.storeIDs.contains(storeID) {
                _ = try Self.requireStore(db, id: storeID)
            }
            try db.execute(
                literal: """
                    UPDATE users SET role = \(changed.role.rawValue), active = \(changed.active),
                        updated_at = \(changed.updatedAt.unixMilliseconds),
                        password_hash = COALESCE(\(changes.passwordHash), password_hash)
                    WHERE id = \(id)
                    """)
            try Self.assignStores(db, .users, id: id, storeIDs: changed.storeIDs)
            if !changed.active || changes.passwordHash != nil {
                // A deactivated user, or one whose password changed, keeps no session alive.
                try db.execute(
                    literal: """
                        UPDATE refresh_tokens SET revoked_at = \(now.unixMilliseconds) WHERE user_id = \(id) AND revoked_at IS NULL
                        """)
            }
            let user = try Self.requireUser(db, id: id)
            try Self.appendAudit(
                db, .userUpdated(before: current, after: user, passwordChanged: changes.passwordHash != nil), context,
                now: now)
            return user
        }
    }

    public func credential(username: String) async throws -> StoredCredential? {
        try await read { db in
            guard let row = try Row.fetchOne(db, literal: "\(Self.userSelect) WHERE u.username = \(username)")
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
        try await write { db, now in
            for storeID in draft.storeIDs { _ = try Self.requireStore(db, id: storeID) }
            let id = try Int64.fetchOne(
                db,
                literal: """
                    INSERT INTO api_keys (name, role, prefix, secret_hash, created_at)
                    VALUES (\(draft.name), \(draft.role.rawValue), \(draft.prefix), \(draft.secretHash), \(now.unixMilliseconds))
                    RETURNING id
                    """)!
            try Self.assignStores(db, .apiKeys, id: id, storeIDs: draft.storeIDs)
            let key = try Self.requireAPIKey(db, id: id, live: false)
            try Self.appendAudit(db, .apiKeyCreated(key), context, now: now)
            return key
        }
    }

    private static let apiKeySelect: SQL = """
        SELECT k.*, (SELECT json_group_array(store_id) FROM (SELECT store_id FROM api_key_stores
            WHERE api_key_id = k.id ORDER BY store_id)) AS store_ids
        FROM api_keys k
        """

    /// The key with this id (when `live`, only if not revoked).
    private static func requireAPIKey(_ db: Database, id: Int64, live: Bool) throws -> APIKey {
        let revoked: SQL = live ? "AND k.revoked_at IS NULL" : ""
        guard let row = try Row.fetchOne(db, literal: "\(apiKeySelect) WHERE k.id = \(id) \(revoked)") else {
            throw InventoryError.apiKeyNotFound(id: id)
        }
        return apiKey(row)
    }

    public func listAPIKeys(_ page: PageRequest) async throws -> Page<APIKey> {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                literal: "\(Self.apiKeySelect) WHERE k.id > \(page.after ?? 0) ORDER BY k.id LIMIT \(page.limit + 1)")
            return Page(fetched: rows.map(Self.apiKey), request: page, sortKey: \.id)
        }
    }

    public func revokeAPIKey(id: Int64, by context: ChangeContext) async throws {
        try await write { db, now in
            let current = try Self.requireAPIKey(db, id: id, live: true)
            try db.execute(literal: "UPDATE api_keys SET revoked_at = \(now.unixMilliseconds) WHERE id = \(id)")
            let revoked = try Self.requireAPIKey(db, id: id, live: false)
            try Self.appendAudit(db, .apiKeyRevoked(before: current, after: revoked), context, now: now)
        }
    }

    public func apiKey(secretHash: String) async throws -> APIKey? {
        try await read { db in
            try Row.fetchOne(
                db, literal: "\(Self.apiKeySelect) WHERE k.secret_hash = \(secretHash) AND k.revoked_at IS NULL"
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
        try await write { db, now in
            try Self.insertRefreshToken(db, grant, now: now)
            try Self.appendAudit(
                db, AuditRecord.login(.succeeded, username: context.actor.name, userID: grant.userID), context, now: now
            )
        }
    }

    private static func insertRefreshToken(_ db: Database, _ grant: RefreshTokenGrant, now: Date) throws {
        try db.execute(
            literal: """
                INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at)
                VALUES (\(grant.tokenHash), \(grant.familyID), \(grant.userID), \(now.unixMilliseconds),
                    \(grant.expiresAt.unixMilliseconds))
                """)
    }

    public func rotateRefreshToken(tokenHash: String, next: RefreshTokenGrant, by context: ChangeContext)
        async throws -> RefreshOutcome
    {
        try await write { db, now in
            guard
                let row = try Row.fetchOne(db, literal: "SELECT * FROM refresh_tokens WHERE token_hash = \(tokenHash)")
            else { return .invalid }
            let familyID: String = row["family_id"]
            let userID: Int64 = row["user_id"]
            if row["spent_at"] as Int64? != nil {
                try Self.revokeFamily(db, familyID, now: now)
                let user = try Self.requireUser(db, id: userID)
                try Self.appendAudit(
                    db, AuditRecord.login(.refreshReused, username: user.username, userID: userID), context, now: now)
                return .reused
            }
            let user = try Self.requireUser(db, id: userID)
            guard row["revoked_at"] as Int64? == nil, row["expires_at"] as Int64 > now.unixMilliseconds, user.active
            else { return .invalid }
            try db.execute(
                literal: "UPDATE refresh_tokens SET spent_at = \(now.unixMilliseconds) WHERE token_hash = \(tokenHash)")
            var next = next
            next.familyID = familyID
            next.userID = userID
            try Self.insertRefreshToken(db, next, now: now)
            return .rotated(user: user)
        }
    }

    public func revokeRefreshToken(tokenHash: String, by context: ChangeContext) async throws {
        try await write { db, now in
            guard
                let row = try Row.fetchOne(
                    db,
                    literal:
                        "SELECT family_id, user_id FROM refresh_tokens WHERE token_hash = \(tokenHash) AND revoked_at IS NULL"
                )
            else { return }
            try Self.revokeFamily(db, row["family_id"], now: now)
            let user = try Self.requireUser(db, id: row["user_id"])
            try Self.appendAudit(
                db, AuditRecord.login(.loggedOut, username: user.username, userID: user.id), context, now: now)
        }
    }

    private static func revokeFamily(_ db: Database, _ familyID: String, now: Date) throws {
        try db.execute(
            literal: """
                UPDATE refresh_tokens SET revoked_at = \(now.unixMilliseconds) WHERE family_id = \(familyID) AND revoked_at IS NULL
                """)
    }

    public func recordLoginAttempt(_ attempt: LoginAttempt, by context: ChangeContext) async throws {
        try await write { db, now in
            try Self.appendAudit(
                db, AuditRecord.login(attempt.outcome, username: attempt.username, userID: attempt.userID), context,
                now: now)
        }
    }
}

import Hummingbird
import InventoryCore

/// Routes of users and API keys: admins manage them; auditors may read them.
struct UserController<Storage: InventoryStorage> {
    let storage: Storage
    let authenticator: Authenticator<Storage>

    func addRoutes(to router: Router<GodownRequestContext>) {
        router.group("v1/users")
            .get(use: listUsers)
            .post(use: createUser)
            .get(":user_id", use: showUser)
            .patch(":user_id", use: updateUser)
        router.group("v1/api-keys")
            .get(use: listAPIKeys)
            .post(use: createAPIKey)
            .delete(":key_id", use: revokeAPIKey)
    }

    @Sendable func listUsers(request: Request, context: GodownRequestContext) async throws -> PageWire<UserWire> {
        _ = try context.authorize(.readAccess)
        let page = try RequestParameters(request: request, context: context).page()
        return PageWire(try await storage.listUsers(page), transform: UserWire.init)
    }

    @Sendable func createUser(request: Request, context: GodownRequestContext) async throws -> EditedResponse<UserWire> {
        let caller = try context.authorize(.manageAccess)
        let body = try await request.decodeJSON(UserCreateBody.self, context: context)
        let username = try User.validatedUsername(body.username)
        let storeIDs = try User.validatedStores(body.storeIDs ?? [], role: body.role)
        let hash = try await authenticator.hashPassword(body.password)
        let draft = try UserDraft(username: username, passwordHash: hash, role: body.role, storeIDs: storeIDs)
        return EditedResponse(status: .created, response: UserWire(try await storage.createUser(draft, by: caller.change)))
    }

    @Sendable func showUser(request: Request, context: GodownRequestContext) async throws -> UserWire {
        _ = try context.authorize(.readAccess)
        let id = try RequestParameters(request: request, context: context).pathID("user_id")
        return UserWire(try await storage.user(id: id))
    }

    /// Changes role, stores, password or `active` (false deactivates and ends every session).
    @Sendable func updateUser(request: Request, context: GodownRequestContext) async throws -> UserWire {
        let caller = try context.authorize(.manageAccess)
        let id = try RequestParameters(request: request, context: context).pathID("user_id")
        let body = try await request.decodeJSON(UserPatchBody.self, context: context)
        if id == caller.principal.identity.id, caller.principal.identity.kind == .user,
            body.active == false || (body.role.map { $0 != .admin } ?? false)
        {
            throw InventoryError.invalidField(
                name: body.active == false ? "active" : "role", reason: "an admin cannot demote or deactivate themselves")
        }
        let hash = try await body.password.asyncMap { try await authenticator.hashPassword($0) }
        let changes = UserChanges(role: body.role, storeIDs: body.storeIDs, active: body.active, passwordHash: hash)
        let user = try await storage.updateUser(id: id, changes: changes, by: caller.change)
        authenticator.userChanged(user)
        return UserWire(user)
    }

    @Sendable func listAPIKeys(request: Request, context: GodownRequestContext) async throws -> PageWire<APIKeyWire> {
        _ = try context.authorize(.readAccess)
        let page = try RequestParameters(request: request, context: context).page()
        return PageWire(try await storage.listAPIKeys(page)) { APIKeyWire($0) }
    }

    /// Makes a key and answers its secret, the only time it is shown.
    @Sendable func createAPIKey(request: Request, context: GodownRequestContext) async throws
        -> EditedResponse<APIKeyWire>
    {
        let caller = try context.authorize(.manageAccess)
        let body = try await request.decodeJSON(APIKeyCreateBody.self, context: context)
        let secret = Secrets.apiKeyPrefix + Secrets.random()
        let draft = try APIKeyDraft(
            name: body.name, role: body.role, storeIDs: body.storeIDs ?? [], prefix: String(secret.prefix(12)),
            secretHash: Secrets.sha256Hex(secret))
        let key = try await storage.createAPIKey(draft, by: caller.change)
        return EditedResponse(status: .created, response: APIKeyWire(key, secret: secret))
    }

    @Sendable func revokeAPIKey(request: Request, context: GodownRequestContext) async throws -> HTTPResponse.Status {
        let caller = try context.authorize(.manageAccess)
        let id = try RequestParameters(request: request, context: context).pathID("key_id")
        try await storage.revokeAPIKey(id: id, by: caller.change)
        return .noContent
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

import Hummingbird
import InventoryCore
import InventoryDigest

/// Routes of users and API keys: admins manage them; auditors may read them.
struct UserController<Access: AccessReader & AccessWriter> {
    let access: Access
    let authenticator: Authenticator<Access>

    func addRoutes(to v1: RouterGroup<AuthenticatedContext>) {
        v1.group("users")
            .get(use: listUsers)
            .post(use: createUser)
            .get(":user_id", use: showUser)
            .patch(":user_id", use: updateUser)
        v1.group("api-keys")
            .get(use: listAPIKeys)
            .post(use: createAPIKey)
            .delete(":key_id", use: revokeAPIKey)
    }

    @Sendable func listUsers(request: Request, context: AuthenticatedContext) async throws -> PageWire<UserWire> {
        _ = try context.authorize(.readAccess)
        let page = try RequestParameters(request: request, context: context).page()
        return PageWire(try await access.listUsers(page), transform: UserWire.init)
    }

    @Sendable func createUser(request: Request, context: AuthenticatedContext) async throws -> EditedResponse<UserWire>
    {
        let caller = try context.authorize(.manageAccess)
        let body = try await request.decodeJSON(UserCreateBody.self, context: context)
        let username = try User.validatedUsername(body.username)
        let storeIDs = try User.validatedStores(body.storeIDs ?? [], role: body.role)
        let hash = try await authenticator.hashPassword(body.password)
        let draft = try UserDraft(username: username, passwordHash: hash, role: body.role, storeIDs: storeIDs)
        return EditedResponse(
            status: .created, response: UserWire(try await access.createUser(draft, by: caller.change)))
    }

    @Sendable func showUser(request: Request, context: AuthenticatedContext) async throws -> UserWire {
        _ = try context.authorize(.readAccess)
        let id = try RequestParameters(request: request, context: context).pathID("user_id")
        return UserWire(try await access.user(id: id))
    }

    /// Changes role, stores, password or `active` (false deactivates and ends every session).
    @Sendable func updateUser(request: Request, context: AuthenticatedContext) async throws -> UserWire {
        let caller = try context.authorize(.manageAccess)
        let id = try RequestParameters(request: request, context: context).pathID("user_id")
        let body = try await request.decodeJSON(UserPatchBody.self, context: context)
        if id == caller.principal.identity.id, caller.principal.identity.kind == .user,
            body.active == false || (body.role.map { $0 != .admin } ?? false)
        {
            throw InventoryError.invalidField(
                name: body.active == false ? "active" : "role",
                reason: "an admin cannot demote or deactivate themselves")
        }
        let hash = try await body.password.asyncMap { try await authenticator.hashPassword($0) }
        let changes = UserChanges(role: body.role, storeIDs: body.storeIDs, active: body.active, passwordHash: hash)
        let user = try await access.updateUser(id: id, changes: changes, by: caller.change)
        authenticator.userChanged(user)
        return UserWire(user)
    }

    @Sendable func listAPIKeys(request: Request, context: AuthenticatedContext) async throws -> PageWire<APIKeyWire> {
        _ = try context.authorize(.readAccess)
        let page = try RequestParameters(request: request, context: context).page()
        return PageWire(try await access.listAPIKeys(page)) { APIKeyWire($0) }
    }

    /// Makes a key and answers its secret, the only time it is shown.
    @Sendable func createAPIKey(request: Request, context: AuthenticatedContext) async throws
        -> EditedResponse<APIKeyWire>
    {
        let caller = try context.authorize(.manageAccess)
        let body = try await request.decodeJSON(APIKeyCreateBody.self, context: context)
        let secret = Secrets.apiKeyPrefix + Secrets.random()
        let draft = try APIKeyDraft(
            name: body.name, role: body.role, storeIDs: body.storeIDs ?? [], prefix: String(secret.prefix(12)),
            secretHash: Digest.sha256Hex(secret))
        let key = try await access.createAPIKey(draft, by: caller.change)
        return EditedResponse(status: .created, response: APIKeyWire(key, secret: secret))
    }

    @Sendable func revokeAPIKey(request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        let caller = try context.authorize(.manageAccess)
        let id = try RequestParameters(request: request, context: context).pathID("key_id")
        try await access.revokeAPIKey(id: id, by: caller.change)
        return .noContent
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

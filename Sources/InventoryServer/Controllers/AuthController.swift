import Hummingbird
import InventoryCore

/// Routes that exchange credentials for tokens, and `GET /v1/me`.
struct AuthController<Access: AccessReader & AccessWriter> {
    let authenticator: Authenticator<Access>

    /// `credentials` is `/v1/auth`, open to callers without credentials; `authenticated` is `/v1`.
    func addRoutes(credentials: RouterGroup<GodownRequestContext>, authenticated: RouterGroup<AuthenticatedContext>) {
        credentials
            .post("login", use: login)
            .post("refresh", use: refresh)
            .post("logout", use: logout)
        authenticated.get("me", use: me)
    }

    /// A signed access token and a refresh token for a username and password.
    @Sendable func login(request: Request, context: GodownRequestContext) async throws -> TokensWire {
        let body = try await request.decodeJSON(LoginBody.self, context: context)
        return TokensWire(
            try await authenticator.login(username: body.username, password: body.password, origin: context.origin))
    }

    /// A new pair for a refresh token, which is spent; reusing a spent one revokes its whole family.
    @Sendable func refresh(request: Request, context: GodownRequestContext) async throws -> TokensWire {
        let body = try await request.decodeJSON(RefreshBody.self, context: context)
        return TokensWire(try await authenticator.refresh(body.refreshToken, origin: context.origin))
    }

    /// Ends the session the refresh token belongs to. Answers 204 even for an unknown token.
    @Sendable func logout(request: Request, context: GodownRequestContext) async throws -> HTTPResponse.Status {
        let body = try await request.decodeJSON(RefreshBody.self, context: context)
        try await authenticator.logout(body.refreshToken, origin: context.origin)
        return .noContent
    }

    @Sendable func me(request: Request, context: AuthenticatedContext) async throws -> MeWire {
        MeWire(try context.authorize(.readCatalog).principal)
    }
}

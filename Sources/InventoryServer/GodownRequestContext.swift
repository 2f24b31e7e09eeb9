import Foundation
import Hummingbird
import InventoryCore

/// The request context of every Godown route: the body limit, the API's JSON encoder, the client's
/// address, and (under `/v1`, once `AuthenticationMiddleware` has run) the authenticated caller.
public struct GodownRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthenticationMiddleware` for every /v1 route except those that exchange credentials.
    public var principal: Principal?
    /// The client's IP address (nil in tests without a socket).
    public let clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    public var maxUploadSize: Int { Limits.requestBodyBytesMax }
    public var responseEncoder: JSONEncoder { WireCoding.makeEncoder() }

    var origin: RequestOrigin { RequestOrigin(requestID: id, clientAddress: clientAddress) }
}

/// The context of the routes under `/v1` that need credentials: its caller is known.
public struct AuthenticatedContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let principal: Principal
    public let clientAddress: String?

    public init(context: GodownRequestContext) throws {
        // AuthenticationMiddleware runs first on every route of the group, and refuses a call without credentials.
        guard let principal = context.principal else {
            throw InventoryError.unauthenticated(reason: "this route needs credentials")
        }
        coreContext = context.coreContext
        self.principal = principal
        clientAddress = context.clientAddress
    }

    public var maxUploadSize: Int { Limits.requestBodyBytesMax }
    public var responseEncoder: JSONEncoder { WireCoding.makeEncoder() }

    /// The caller, after checking that their role allows `permission` and, when the action is at a
    /// store, that the store is theirs (403 otherwise).
    func authorize(_ permission: Permission, store storeID: Int64? = nil) throws(InventoryError) -> Caller {
        guard principal.role.allows(permission) else {
            throw .forbidden(reason: "a \(principal.role.rawValue) may not do this")
        }
        if let storeID, !principal.covers(storeID: storeID) {
            throw .forbidden(reason: "store \(storeID) is not assigned to \(principal.identity.name)")
        }
        return Caller(
            principal: principal,
            change: ChangeContext(principal: principal, requestID: id, clientAddress: clientAddress))
    }
}

/// An authorized caller: who they are, and how their changes are recorded.
struct Caller: Sendable {
    var principal: Principal
    var change: ChangeContext
    /// The stores their listings and reports cover.
    var scope: StoreScope { principal.scope }
}

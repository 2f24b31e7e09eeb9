import Hummingbird
import HummingbirdCore
import InventoryCore
import Logging

/// Builds the Godown HTTP application on any storage backend.
public enum GodownServer {
    /// Where the server listens.
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var connections: ConnectionLimits

        /// Loopback on 8080 by default: a shop's stock book is not exposed to the network unless asked.
        public init(host: String = "127.0.0.1", port: Int = 8080, connections: ConnectionLimits = ConnectionLimits()) {
            self.host = host
            self.port = port
            self.connections = connections
        }
    }

    /// The router with every route and middleware; tests drive it directly.
    public static func buildRouter<Storage: InventoryStorage>(storage: Storage, access: AccessConfiguration) async
        -> Router<GodownRequestContext>
    {
        let authenticator = await Authenticator(storage: storage, configuration: access)
        let limits = access.rateLimits
        let router = Router(context: GodownRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: ResponseHeadersMiddleware())
        router.add(
            middleware: AccessMiddleware(
                authenticator: authenticator,
                perPrincipal: RateLimiter(rule: limits.perPrincipal, keysMax: limits.trackedKeysMax),
                perAddress: RateLimiter(rule: limits.perAddress, keysMax: limits.trackedKeysMax)))
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: QueryParametersMiddleware())
        SystemController(storage: storage).addRoutes(to: router)
        AuthController(authenticator: authenticator).addRoutes(to: router)
        UserController(storage: storage, authenticator: authenticator).addRoutes(to: router)
        AuditController(storage: storage).addRoutes(to: router)
        ProductController(storage: storage).addRoutes(to: router)
        LocationController(storage: storage).addRoutes(to: router)
        SupplierController(storage: storage).addRoutes(to: router)
        StockController(storage: storage).addRoutes(to: router)
        TransferController(storage: storage).addRoutes(to: router)
        ReportController(storage: storage).addRoutes(to: router)
        return router
    }

    /// The application, a `Service` to run in the executable's `ServiceGroup`.
    public static func buildApplication(
        storage: some InventoryStorage, configuration: Configuration, access: AccessConfiguration, logger: Logger
    ) async -> some ApplicationProtocol {
        let limits = configuration.connections
        let governor = ConnectionGovernor(connectionsMax: limits.connectionsMax, logger: logger)
        return Application(
            router: await buildRouter(storage: storage, access: access),
            server: HTTPServerBuilder { responder in
                GuardedHTTP1Channel(responder: responder, limits: limits, governor: governor, logger: logger)
            },
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: nil),
            logger: logger)
    }
}

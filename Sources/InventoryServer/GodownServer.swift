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
    ///
    /// `/v1/auth` (exchanging credentials for tokens) is limited per client address; every other
    /// `/v1` route authenticates its caller first, and its handlers receive an `AuthenticatedContext`.
    /// Each controller takes only the sides of the storage it uses.
    public static func buildRouter<Storage: InventoryStorage>(
        storage: Storage, access: AccessConfiguration, time: any TimeSource = SystemTime(), events: EventHub? = nil,
        webhookTargets: WebhookTargets = WebhookTargets(allowPrivate: false)
    ) async -> Router<GodownRequestContext> {
        let events = events ?? EventHub(reader: storage, logger: Logger(label: "godown.events"))
        let authenticator = await Authenticator(storage: storage, configuration: access, time: time)
        let limits = access.rateLimits
        let perAddress = RateLimiter(rule: limits.perAddress, keysMax: limits.trackedKeysMax, time: time)
        let router = Router(context: GodownRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: ResponseHeadersMiddleware())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: QueryParametersMiddleware())
        SystemController(health: storage).addRoutes(to: router)

        let credentials = router.group("v1/auth").add(middleware: AddressRateLimitMiddleware(perAddress: perAddress))
        let v1 = router.group("v1")
            .add(
                middleware: AuthenticationMiddleware(
                    authenticator: authenticator,
                    perPrincipal: RateLimiter(rule: limits.perPrincipal, keysMax: limits.trackedKeysMax, time: time),
                    perAddress: perAddress)
            )
            .group(context: AuthenticatedContext.self)
        AuthController(authenticator: authenticator).addRoutes(credentials: credentials, authenticated: v1)
        UserController(access: storage, authenticator: authenticator).addRoutes(to: v1)
        AuditController(audit: storage).addRoutes(to: v1)
        ProductController(catalog: storage, stock: storage).addRoutes(to: v1)
        LocationController(locations: storage).addRoutes(to: v1)
        SupplierController(catalog: storage).addRoutes(to: v1)
        StockController(ledger: storage).addRoutes(to: v1)
        TransferController(ledger: storage).addRoutes(to: v1)
        ReportController(reports: storage, time: time).addRoutes(to: v1)
        EventController(reader: storage, hub: events).addRoutes(to: v1)
        AlertController(alerts: storage).addRoutes(to: v1)
        WebhookController(webhooks: storage, targets: webhookTargets).addRoutes(to: v1)
        return router
    }

    /// The application, a `Service` to run in the executable's `ServiceGroup`, with the services
    /// that keep the event log: `events` (which something else wakes, or which polls), its
    /// retention, the low-stock alert consumer and the webhook dispatcher.
    public static func buildApplication(
        storage: some InventoryStorage, configuration: Configuration, access: AccessConfiguration,
        time: any TimeSource = SystemTime(), events: EventHub, eventRetention: EventRetention,
        webhooks: WebhookConfiguration = WebhookConfiguration(), logger: Logger
    ) async -> Application<RouterResponder<GodownRequestContext>> {
        let limits = configuration.connections
        let governor = ConnectionGovernor(connectionsMax: limits.connectionsMax, logger: logger)
        var application = Application(
            router: await buildRouter(
                storage: storage, access: access, time: time, events: events, webhookTargets: webhooks.targets),
            server: HTTPServerBuilder { responder in
                GuardedHTTP1Channel(responder: responder, limits: limits, governor: governor, logger: logger)
            },
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: nil),
            logger: logger)
        application.addServices(
            events, eventRetention, AlertConsumer(alerts: storage, hub: events, logger: logger),
            WebhookDispatcher(storage: storage, hub: events, configuration: webhooks, logger: logger))
        return application
    }
}

import Hummingbird
import InventoryCore
import Logging

/// Builds the Godown HTTP application on any storage backend.
public enum GodownServer {
    /// Where the server listens.
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int

        /// Loopback on 8080 by default: a shop's stock book is not exposed to the network unless asked.
        public init(host: String = "127.0.0.1", port: Int = 8080) {
            self.host = host
            self.port = port
        }
    }

    /// The router with every route and middleware; tests drive it directly.
    public static func buildRouter(storage: some InventoryStorage) -> Router<GodownRequestContext> {
        let router = Router(context: GodownRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: ResponseHeadersMiddleware())
        router.add(middleware: ProblemMiddleware())
        SystemController(storage: storage).addRoutes(to: router)
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
        storage: some InventoryStorage, configuration: Configuration, logger: Logger
    ) -> some ApplicationProtocol {
        Application(
            router: buildRouter(storage: storage),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: nil),
            logger: logger)
    }
}

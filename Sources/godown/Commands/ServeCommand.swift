import ArgumentParser
import Hummingbird
import InventoryCore
import InventorySQLite
import InventoryServer
import Logging
import ServiceLifecycle

/// `godown serve`: the REST API, stopped gracefully by SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the REST API.")

    @Option(name: .long, help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0 picks a free one and logs it).")
    var port = 8080

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var access: AccessOptions

    func run() async throws {
        // Logs go to standard error, one line per event with its metadata as key=value pairs.
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "godown")
        logger.logLevel = logLevel
        let configuration = GodownServer.Configuration(host: host, port: port)
        let accessConfiguration = try access.configuration { logger.warning("\($0)") }
        let bcryptCost = access.bcryptCost
        logger.info("serving", metadata: ["database": "\(database.redactedLocation)", "address": "\(host):\(port)"])

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if database.isPostgres {
            let storage = try database.makePostgresStorage(logger: logger)
            let application = await GodownServer.buildApplication(
                storage: storage, configuration: configuration, access: accessConfiguration, logger: logger)
            // The pool runs first and stops last; the server starts once the schema is migrated.
            services.append(.init(service: storage.client))
            services.append(
                .init(
                    service: StartingService(
                        prepare: {
                            try await storage.migrate()
                            try await AccessOptions.bootstrapAdmin(storage, bcryptCost: bcryptCost)
                        }, service: application)))
        } else {
            let storage = try SQLiteInventoryStorage(path: database.location)
            try await AccessOptions.bootstrapAdmin(storage, bcryptCost: bcryptCost)
            services.append(
                .init(
                    service: await GodownServer.buildApplication(
                        storage: storage, configuration: configuration, access: accessConfiguration, logger: logger)))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("stopped")
    }
}

/// Runs `prepare` (such as migrations that need the database client running), then `service`.
struct StartingService<Base: Service>: Service {
    let prepare: @Sendable () async throws -> Void
    let service: Base

    func run() async throws {
        try await prepare()
        try await service.run()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

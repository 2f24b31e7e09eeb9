import ArgumentParser
import Hummingbird
import InventoryServer
import Logging
import ServiceLifecycle

/// `godown serve`: the REST API, stopped gracefully by SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the REST API.")

    @Option(name: .long, help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on.")
    var port = 8080

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        // Logs go to standard error, one line per event with its metadata as key=value pairs.
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "godown")
        logger.logLevel = logLevel
        let storage = try database.openStorage()
        let application = GodownServer.buildApplication(
            storage: storage, configuration: .init(host: host, port: port), logger: logger)
        logger.info("serving", metadata: ["database": "\(database.location)", "address": "\(host):\(port)"])
        let services = ServiceGroup(
            configuration: .init(
                services: [.init(service: application)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await services.run()
        logger.info("stopped")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

import ArgumentParser
import Foundation
import Hummingbird
import InventoryCore
import InventoryPostgres
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

    @Option(help: "Seconds a keep-alive connection may sit idle between requests.")
    var idleTimeout = Seconds(Limits.idleTimeoutDefault)

    @Option(help: "Seconds from a request's first byte to the end of its head.")
    var requestHeadTimeout = Seconds(Limits.requestHeadTimeoutDefault)

    @Option(help: "Seconds from the end of a request's head to the end of its body.")
    var requestBodyTimeout = Seconds(Limits.requestBodyTimeoutDefault)

    @Option(help: "Open client connections at most (default: 10,000, or fewer when the process may open fewer files).")
    var connectionsMax: Int?

    @Option(help: "Seconds SIGTERM waits for requests in flight before cutting them.")
    var shutdownGrace = Seconds(Limits.shutdownGraceDefault)

    @Option(help: "Days the event log keeps events (1-3650).")
    var eventRetentionDays = 30

    @Flag(help: "Let webhooks point at loopback and private addresses (refused by default).")
    var allowPrivateWebhooks = false

    @Option(help: "Seconds one webhook attempt may take, connecting included (1-60).")
    var webhookTimeout = Seconds(Limits.webhookTimeoutDefault)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var access: AccessOptions

    func validate() throws {
        guard (1...3_650).contains(eventRetentionDays) else {
            throw ValidationError("--event-retention-days must be between 1 and 3650, not \(eventRetentionDays)")
        }
        guard webhookTimeout.duration <= .seconds(60) else {
            throw ValidationError("--webhook-timeout must be at most 60 seconds")
        }
    }

    func run() async throws {
        // Logs go to standard error, one line per event with its metadata as key=value pairs.
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "godown")
        logger.logLevel = logLevel
        let connections = ConnectionLimits(
            idleTimeout: idleTimeout.duration, requestHeadTimeout: requestHeadTimeout.duration,
            requestBodyTimeout: requestBodyTimeout.duration,
            connectionsMax: try ConnectionBudget.connectionsMax(
                requested: connectionsMax, poolSizeMax: database.poolSizeMax))
        let configuration = GodownServer.Configuration(host: host, port: port, connections: connections)
        let accessConfiguration = try access.configuration { logger.warning("\($0)") }
        let bcryptCost = access.bcryptCost
        let webhooks = WebhookConfiguration(
            allowPrivateTargets: allowPrivateWebhooks, timeout: webhookTimeout.duration)
        logger.info(
            "serving",
            metadata: [
                "database": "\(database.redactedLocation)", "address": "\(host):\(port)",
                "connections_max": "\(connections.connectionsMax)",
            ])

        let application: Application<RouterResponder<GodownRequestContext>>
        if database.isPostgres {
            let storage = try database.makePostgresStorage(logger: logger)
            // Commits wake the hub through a listener; the slow poll only covers a missed wake-up.
            let events = EventHub(reader: storage, configuration: .init(pollInterval: .seconds(1)), logger: logger)
            var postgres = await GodownServer.buildApplication(
                storage: storage, configuration: configuration, access: accessConfiguration, events: events,
                eventRetention: EventRetention(maintenance: storage, retentionDays: eventRetentionDays, logger: logger),
                webhooks: webhooks, logger: logger)
            // The pool runs inside the application's own service group (and stops after the server);
            // the server listens once the schema is migrated.
            postgres.addServices(
                storage.client, PostgresEventListener(storage: storage, logger: logger, wake: events.wake))
            postgres.beforeServerStarts {
                try await storage.migrate()
                try await AccessOptions.bootstrapAdmin(storage, bcryptCost: bcryptCost)
            }
            application = postgres
        } else {
            let storage = try SQLiteInventoryStorage(path: database.location, deadline: database.deadline)
            try await AccessOptions.bootstrapAdmin(storage, bcryptCost: bcryptCost)
            // Another process (the command line) may write the file, so the hub polls it often.
            let events = EventHub(
                reader: storage, configuration: .init(pollInterval: .milliseconds(250)), logger: logger)
            application = await GodownServer.buildApplication(
                storage: storage, configuration: configuration, access: accessConfiguration, events: events,
                eventRetention: EventRetention(maintenance: storage, retentionDays: eventRetentionDays, logger: logger),
                webhooks: webhooks, logger: logger)
        }
        var groupConfiguration = ServiceGroupConfiguration(
            services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // Past the grace, requests still in flight are cancelled (their connections closed); a task
        // that ignores cancellation too ends the process after a few more seconds.
        groupConfiguration.maximumGracefulShutdownDuration = shutdownGrace.duration
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: groupConfiguration).run()
        logger.info("stopped")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// How many client connections a process can hold: each takes a file descriptor, and the process
/// also needs some for the database, its files and its logs.
enum ConnectionBudget {
    static let reservedDescriptors = 64

    static func connectionsMax(requested: Int?, poolSizeMax: Int) throws -> Int {
        var limit = rlimit()
        let descriptors = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? Int(clamping: limit.rlim_cur) : 1024
        let available = max(1, descriptors - reservedDescriptors - poolSizeMax)
        guard let requested else { return min(Limits.connectionsMaxDefault, available) }
        guard (1...available).contains(requested) else {
            throw ValidationError(
                "--connections-max must be between 1 and \(available) (the process may open \(descriptors) files)")
        }
        return requested
    }
}

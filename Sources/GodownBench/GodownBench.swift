import ArgumentParser
import AsyncHTTPClient
import Foundation
import InventoryCore
import InventoryPostgres
import Logging
import PostgresNIO

/// `godown-bench`: drives a running `godown serve` over HTTP at a fixed concurrency and compares each
/// workload with its ceilings measured in the same run: the raw SQL for the same work, run straight
/// on the same database with prepared statements, and a trivial route of the same server.
@main
struct GodownBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "godown-bench", abstract: "Load-test a running godown against its own ceilings.")

    @Option(help: "The server on PostgreSQL.") var url = "http://127.0.0.1:8080"
    @Option(help: "The server's PostgreSQL, for the raw ceiling and the ledger checks.") var postgres: String
    @Option(help: "Store ids 1…N to pick from (as seeded).") var stores = 10
    @Option(help: "Product ids 1…N to pick from (as seeded).") var products = 50
    @Option(help: "Stores with history (reports pick these).") var historyStores = 10
    @Option(help: "Concurrent callers.") var concurrency = 16
    @Option(help: "Concurrent callers for the store page and reports (default: --concurrency).") var reportConcurrency:
        Int?
    @Option(help: "Seconds of warm-up per workload.") var warmup = 2
    @Option(help: "Seconds measured per workload.") var duration = 10
    @Option(help: "The server's process id, to read its memory.") var serverPID: Int32?
    @Option(help: "A second server, on SQLite, for the embedded workloads.") var sqliteURL: String?
    @Option(help: "That server's SQLite file, for its raw ceiling and ledger checks.") var sqlite: String?
    @Option(help: "Stores seeded in the SQLite file.") var sqliteStores = 10
    @Option(help: "The SQLite server's process id.") var sqliteServerPID: Int32?
    @Option(help: "A second server on the same PostgreSQL, to stream events from (the events group).")
    var streamURL: String?
    @Option(help: "Movements per second of the event delivery workload.") var eventRate = 200
    @Option(help: "Run only these workload groups (repeat; default: all).") var only: [WorkloadGroup] = []
    @Option(help: "Write the results as JSON here.") var output: String?
    @Option(help: "The user to log in as.") var username = "admin"
    @Option(help: "Their password (default: $GODOWN_ADMIN_PASSWORD).") var password: String?

    func validate() throws {
        guard (sqliteURL == nil) == (sqlite == nil) else {
            throw ValidationError("give --sqlite-url and --sqlite together")
        }
    }

    func run() async throws {
        guard let password = password ?? ProcessInfo.processInfo.environment["GODOWN_ADMIN_PASSWORD"] else {
            throw ValidationError("give --password or set GODOWN_ADMIN_PASSWORD")
        }
        var logger = Logger(label: "godown-bench")
        logger.logLevel = .error
        let storage = PostgresInventoryStorage(
            configuration: try PostgresInventoryStorage.configuration(url: postgres, poolSizeMax: concurrency),
            logger: logger)
        let raw = PostgresClient(
            configuration: try PostgresInventoryStorage.configuration(url: postgres, poolSizeMax: concurrency),
            backgroundLogger: logger)
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(
                connectionPool: .init(
                    idleTimeout: .seconds(120), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)))
        let settings = RunSettings(
            concurrency: concurrency, reportConcurrency: reportConcurrency ?? concurrency, warmup: .seconds(warmup),
            duration: .seconds(duration), serverPID: serverPID,
            groups: Set(only.isEmpty ? WorkloadGroup.allCases : only))
        let outcome = await Result {
            try await withThrowingTaskGroup(of: [Measurement].self) { group in
                group.addTask {
                    await storage.client.run(); return []
                }
                group.addTask {
                    await raw.run(); return []
                }
                defer { group.cancelAll() }
                let workloads = Workloads(
                    server: try await HTTPCaller.logIn(http, base: url, username: username, password: password),
                    storage: storage, raw: raw, draw: Draw(stores: stores, products: products),
                    historyStores: historyStores, settings: settings)
                var measurements = try await workloads.runAll()
                if let streamURL, settings.groups.contains(.events) {
                    measurements += try await EventWorkloads(
                        writer: workloads.server,
                        streamer: try await HTTPCaller.logIn(
                            http, base: streamURL, username: username, password: password),
                        draw: Draw(stores: stores, products: products), settings: settings, rate: eventRate
                    ).runAll()
                }
                if let sqliteURL, let sqlite, settings.groups.contains(.sqlite) {
                    var embedded = settings
                    embedded.serverPID = sqliteServerPID
                    measurements += try await SQLiteWorkloads(
                        server: try await HTTPCaller.logIn(
                            http, base: sqliteURL, username: username, password: password),
                        raw: try RawSQLite(path: sqlite), draw: Draw(stores: sqliteStores, products: products),
                        settings: embedded
                    ).runAll()
                }
                return measurements
            }
        }
        try await http.shutdown()
        let measurements = try outcome.get()
        Report.printTable(measurements)
        if let output {
            try Report.write(
                measurements, to: output,
                settings: [
                    "url": url, "stores": "\(stores)", "products": "\(products)", "history_stores": "\(historyStores)",
                    "concurrency": "\(concurrency)", "report_concurrency": "\(settings.reportConcurrency)",
                    "duration_seconds": "\(duration)", "warmup_seconds": "\(warmup)",
                    "sqlite_stores": "\(sqliteStores)", "event_rate": "\(eventRate)",
                ])
        }
        if measurements.contains(where: { $0.errors > 0 }) {
            throw ValidationError("some calls failed: see the errors column")
        }
    }
}

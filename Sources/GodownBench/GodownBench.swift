import ArgumentParser
import AsyncHTTPClient
import Foundation
import InventoryCore
import InventoryPostgres
import Logging
import NIOCore
import PostgresNIO

/// `godown-bench`: drives a running `godown serve` over HTTP at a fixed concurrency and compares each
/// workload with its ceiling measured in the same run: the storage called directly on the same
/// PostgreSQL (no HTTP), and a trivial route of the same server.
@main
struct GodownBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "godown-bench", abstract: "Load-test a running godown against its own ceilings.")

    @Option(help: "The server.") var url = "http://127.0.0.1:8080"
    @Option(help: "The server's PostgreSQL, for the direct ceiling and the ledger check.") var postgres: String
    @Option(help: "Store ids 1…N to pick from (as seeded).") var stores = 10
    @Option(help: "Product ids 1…N to pick from (as seeded).") var products = 50
    @Option(help: "Stores with history (reports pick these).") var historyStores = 10
    @Option(help: "Concurrent callers.") var concurrency = 16
    @Option(help: "Seconds of warm-up per workload.") var warmup = 2
    @Option(help: "Seconds measured per workload.") var duration = 10
    @Option(help: "The server's process id, to read its memory.") var serverPID: Int32?
    @Option(help: "Write the results as JSON here.") var output: String?
    @Option(help: "The user to log in as.") var username = "admin"
    @Option(help: "Their password (default: $GODOWN_ADMIN_PASSWORD).") var password: String?

    func run() async throws {
        var logger = Logger(label: "godown-bench")
        logger.logLevel = .error
        let storage = PostgresInventoryStorage(
            configuration: try PostgresInventoryStorage.configuration(url: postgres, poolSizeMax: concurrency + 2), logger: logger)
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(connectionPool: .init(idleTimeout: .seconds(120), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)))
        let authorization: String
        do {
            authorization = "Bearer " + (try await logIn(http))
        } catch {
            try await http.shutdown()
            throw error
        }
        let workloads = Workloads(
            http: http, storage: storage, client: storage.client, base: url, stores: stores, products: products,
            historyStores: historyStores, concurrency: concurrency, warmup: .seconds(warmup), duration: .seconds(duration),
            serverPID: serverPID, authorization: authorization)
        let outcome = await Result(catching: {
            try await withThrowingTaskGroup(of: [Measurement].self) { group in
                group.addTask { await storage.client.run(); return [] }
                defer { group.cancelAll() }
                return try await workloads.runAll()
            }
        })
        try await http.shutdown()
        let measurements = try outcome.get()
        Report.printTable(measurements)
        if let output {
            try Report.write(measurements, to: output, settings: [
                "url": url, "stores": "\(stores)", "products": "\(products)", "concurrency": "\(concurrency)",
                "duration_seconds": "\(duration)", "warmup_seconds": "\(warmup)",
            ])
        }
        if measurements.contains(where: { $0.errors > 0 }) {
            throw ValidationError("some calls failed: see the errors column")
        }
    }

    /// Logs in once; the server must issue access tokens that outlive the run (`--access-token-minutes`).
    private func logIn(_ http: HTTPClient) async throws -> String {
        guard let password = password ?? ProcessInfo.processInfo.environment["GODOWN_ADMIN_PASSWORD"] else {
            throw ValidationError("give --password or set GODOWN_ADMIN_PASSWORD")
        }
        struct Tokens: Decodable { var access_token: String }
        var request = HTTPClientRequest(url: url + "/v1/auth/login")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = try JSONEncoder().encode(["username": username, "password": password])
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await http.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else {
            throw ValidationError("logging in as \(username) answered \(response.status.code)")
        }
        return try JSONDecoder().decode(Tokens.self, from: Data(buffer: bytes)).access_token
    }
}

import Foundation
import InventoryTestBackends
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The event stream across processes, as shipped: on PostgreSQL a stream on one instance carries
/// what another instance wrote (woken by LISTEN/NOTIFY); on SQLite a stream carries what the
/// command line wrote to the file the server has open.
@Suite struct EventStreamTests {
    @Test(arguments: TestBackend.allCases)
    func aStreamOnOneProcessCarriesWhatAnotherWrote(backend: TestBackend) async throws {
        try await GodownExecutable.withTemporaryFolder(backend: backend) { godown in
            try godown.run("product", "add", "DAL", "Toor dal", "--unit", "kg")
            let reader = try await Server.start(godown, name: "reader")
            defer { reader.stop() }
            // Given a stream of movements open on the reading server
            let stream = try TCPSocket(port: reader.port)
            try stream.send(
                "GET /v1/events?types=movement.recorded HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\nAuthorization: \(Server.authorization)\r\n\r\n")
            let opened = try await stream.receive { $0.contains(": stream open") }
            #expect(opened.contains("200 OK"))

            // When another process writes: a second server under concurrent load, or the command line
            let expected = backend == .postgres ? 1_000 : 5
            if backend == .postgres {
                let writer = try await Server.start(godown, name: "writer")
                defer { writer.stop() }
                try await Self.record(expected, through: writer)
            } else {
                for _ in 0..<expected { #expect(try godown.run("stock", "in", "DAL", "1").status == 0) }
            }

            // Then the stream carries every movement once; with one writer at a time (SQLite), in the ledger's order
            let text = try await stream.receive(timeout: .seconds(60)) {
                $0.components(separatedBy: "event: movement.recorded").count - 1 >= expected
            }
            let balances = text.components(separatedBy: "\n").filter { $0.hasPrefix("data: ") }.compactMap { line in
                line.range(of: #""balance_after":""#).map { range in
                    Int(line[range.upperBound...].prefix { $0 != "\"" })
                }
            }
            #expect(balances.count == expected)
            #expect(balances.compactMap { $0 }.sorted() == Array(1...expected))
            if backend == .sqlite { #expect(balances == Array(1...expected).map { Optional($0) }) }
        }
    }

    /// The alert consumer's cursor moves with the alerts it wrote: a server killed (`kill -9`) while
    /// sales take twenty products low, then started again, leaves each product exactly one alert and
    /// exactly one `alert.raised` event.
    @Test(arguments: TestBackend.allCases)
    func alertsSurviveAKilledServerWithoutRepeatsOrGaps(backend: TestBackend) async throws {
        try await GodownExecutable.withTemporaryFolder(backend: backend) { godown in
            let skus = (1...20).map { "P\($0)" }
            for sku in skus {
                try godown.run("product", "add", sku, "Product \(sku)")
                try godown.run("stock", "in", sku, "10")
                try godown.run("stock", "reorder-level", sku, "5")
            }
            let first = try await Server.start(godown, name: "first")
            // When sales take every product low while the server runs, and it is killed meanwhile
            try await withThrowingTaskGroup(of: Void.self) { group in
                for sku in skus {
                    group.addTask {
                        let status = try await first.post(
                            "/v1/stores/1/movements", #"{"sku":"\#(sku)","kind":"sale","quantity":"6"}"#)
                        #expect(status == 201)
                    }
                }
                try await group.waitForAll()
            }
            kill(first.process.processIdentifier, SIGKILL)
            first.process.waitUntilExit()
            // Then a new server finishes what the first began, once
            let second = try await Server.start(godown, name: "second")
            defer { second.stop() }
            var alerts: [[String: Any]] = []
            for _ in 0..<200 {
                alerts = try await second.get("/v1/alerts?state=open&limit=100")["items"] as? [[String: Any]] ?? []
                if alerts.count >= skus.count { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(alerts.count == skus.count)
            #expect(Set(alerts.compactMap { $0["sku"] as? String }) == Set(skus))
            // (On PostgreSQL the last event can wait for another database's open transaction before a
            // reader may pass it, so the count is read until it is complete or the time is up.)
            var raised: [[String: Any]] = []
            for _ in 0..<200 {
                let events = try await second.get("/v1/events?after=0-0&types=alert.raised&limit=1000")
                raised = events["events"] as? [[String: Any]] ?? []
                if raised.count >= skus.count { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(raised.count == skus.count)
        }
    }

    /// SIGTERM ends an open stream cleanly (its last chunk sent) and the server exits well within its grace.
    @Test func aStreamEndsCleanlyWhenTheServerStops() async throws {
        try await GodownExecutable.withTemporaryFolder(backend: .sqlite) { godown in
            let server = try await Server.start(godown, name: "server")
            defer { server.stop() }
            let stream = try TCPSocket(port: server.port)
            try stream.send(
                "GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + "Authorization: \(Server.authorization)\r\n\r\n")
            let opened = try await stream.receive { $0.contains(": stream open") }
            #expect(opened.contains("200 OK"))
            let stopping = ContinuousClock.now
            kill(server.process.processIdentifier, SIGTERM)
            let ended = try await stream.receive(timeout: .seconds(20)) { $0.hasSuffix("\r\n0\r\n\r\n") }
            #expect(ended.hasSuffix("\r\n0\r\n\r\n"), "the chunked body ends with its last chunk")
            while server.process.isRunning, ContinuousClock.now - stopping < .seconds(20) {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(!server.process.isRunning)
            #expect(ContinuousClock.now - stopping < .seconds(10))
        }
    }

    /// Records `count` stock-ins of DAL at store 1 through `server`, sixteen at a time.
    static func record(_ count: Int, through server: Server) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    for _ in stride(from: worker, to: count, by: 16) {
                        let status = try await server.post(
                            "/v1/stores/1/movements", #"{"sku":"DAL","kind":"stock_in","quantity":"1"}"#)
                        #expect(status == 201)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// `godown events tail` prints the log as JSON lines.
    @Test func theCommandLineTailsTheLog() async throws {
        try await GodownExecutable.withTemporaryFolder(backend: .sqlite) { godown in
            try godown.run("product", "add", "SALT", "Salt")
            try godown.run("stock", "in", "SALT", "3")
            let tail = try godown.run(
                "events", "tail", "--after", "0-0", "--count", "3", "--types",
                "product.created,stock.changed,movement.recorded")
            let lines = tail.output.split(separator: "\n").map(String.init)
            #expect(tail.status == 0)
            #expect(lines.count == 3)
            let types = try lines.map { line in
                try #require(
                    (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["type"] as? String)
            }
            #expect(types == ["product.created", "movement.recorded", "stock.changed"])
            #expect(try godown.run("events", "tail", "--after", "nope").status != 0)

            // `godown alerts` catches up with the log first, so a shop without a server sees them too
            #expect(try godown.run("stock", "reorder-level", "SALT", "5").status == 0)
            let alerts = try #require(try godown.json("alerts", "--state", "open") as? [[String: Any]])
            #expect(alerts.map { $0["sku"] as? String } == ["SALT"])
            #expect(alerts.first?["on_hand"] as? String == "3")
        }
    }

    /// A `godown serve` child process on a free port.
    struct Server: Sendable {
        static let password = "event-test-pass"
        static let authorization = "Basic " + Data("admin:\(password)".utf8).base64EncodedString()
        let process: Process
        let port: Int

        static func start(_ godown: GodownExecutable, name: String, arguments: [String] = []) async throws -> Server {
            let logURL = godown.folder.appendingPathComponent("\(name).log")
            _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
            let process = godown.makeProcess(
                ["serve", "--port", "0", "--bcrypt-cost", "4", "--rate-limit-per-second", "10000"] + arguments,
                environment: ["GODOWN_ADMIN_PASSWORD": password])
            process.standardError = try FileHandle(forWritingTo: logURL)
            try process.run()
            return Server(process: process, port: try await ServeTests.waitForPort(in: logURL))
        }

        func stop() {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }

        func get(_ path: String) async throws -> [String: Any] {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            request.setValue(Self.authorization, forHTTPHeaderField: "Authorization")
            let (data, _) = try await URLSession.shared.data(for: request)
            return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        }

        func post(_ path: String, _ json: String) async throws -> Int {
            try await send("POST", path, json).status
        }

        /// Sends `json` with `method`; the status and the answer as JSON.
        func send(_ method: String, _ path: String, _ json: String) async throws -> (status: Int, body: [String: Any]) {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            request.httpMethod = method
            request.httpBody = Data(json.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue(Self.authorization, forHTTPHeaderField: "Authorization")
            let (data, response) = try await URLSession.shared.data(for: request)
            let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, body)
        }
    }
}

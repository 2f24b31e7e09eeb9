import Foundation
import InventoryTestBackends
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `godown serve` as shipped: answers HTTP, shares its database with the CLI, logs request ids, and
/// stops cleanly on SIGTERM.
@Suite struct ServeTests {
    @Test(arguments: TestBackend.allCases)
    func servesSharesTheDatabaseWithTheCLIAndStopsOnSIGTERM(backend: TestBackend) async throws {
        try await GodownExecutable.withTemporaryFolder(backend: backend) { godown in
            try godown.run("product", "add", "DAL", "Toor dal", "--unit", "kg")
            let logURL = godown.folder.appendingPathComponent("serve.log")
            _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
            let server = godown.makeProcess(
                ["serve", "--port", "0", "--bcrypt-cost", "4"],
                environment: ["GODOWN_ADMIN_PASSWORD": "serve-test-pass"])
            server.standardError = try FileHandle(forWritingTo: logURL)
            try server.run()
            defer { if server.isRunning { server.terminate() } }

            let port = try await Self.waitForPort(in: logURL)
            let base = "http://127.0.0.1:\(port)"
            let (health, healthResponse) = try await URLSession.shared.data(from: URL(string: "\(base)/health")!)
            #expect((healthResponse as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: health, as: UTF8.self).contains("reachable"))

            // The CLI writes to the file the server has open; the server sees it at once.
            #expect(try godown.run("stock", "in", "DAL", "7.5").status == 0)
            var sale = URLRequest(url: URL(string: "\(base)/v1/stores/1/movements")!)
            sale.httpMethod = "POST"
            sale.httpBody = Data(#"{"sku":"DAL","kind":"sale","quantity":"2.5"}"#.utf8)
            sale.setValue("application/json", forHTTPHeaderField: "Content-Type")
            // The first start created the admin with the password it was given.
            sale.setValue(
                "Basic " + Data("admin:serve-test-pass".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization"
            )
            let (_, saleResponse) = try await URLSession.shared.data(for: sale)
            #expect((saleResponse as? HTTPURLResponse)?.statusCode == 201)
            #expect(try godown.run("stock").output.contains("5  kg"))
            #expect(try godown.run("verify").status == 0)

            kill(server.processIdentifier, SIGTERM)
            server.waitUntilExit()
            #expect(server.terminationStatus == 0)
            let log = try String(contentsOf: logURL, encoding: .utf8)
            #expect(log.contains("hb.request.id="))
            #expect(log.contains("hb.request.path=/v1/stores/1/movements"))
            #expect(log.contains("stopped"))
        }
    }

    /// A request still in flight when SIGTERM's grace runs out is cut off, and the server exits.
    @Test func sigtermWaitsForRequestsInFlightOnlyAsLongAsTheGrace() async throws {
        try await GodownExecutable.withTemporaryFolder(backend: .sqlite) { godown in
            let logURL = godown.folder.appendingPathComponent("serve.log")
            _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
            let server = godown.makeProcess(
                [
                    "serve", "--port", "0", "--bcrypt-cost", "4", "--shutdown-grace", "1", "--request-body-timeout",
                    "600",
                ],
                environment: ["GODOWN_ADMIN_PASSWORD": "serve-test-pass"])
            server.standardError = try FileHandle(forWritingTo: logURL)
            try server.run()
            defer { if server.isRunning { server.terminate() } }
            let port = try await Self.waitForPort(in: logURL)

            // A request whose body never finishes arriving stays in flight.
            let socket = try TCPSocket(port: port)
            let credentials = Data("admin:serve-test-pass".utf8).base64EncodedString()
            try socket.send(
                "POST /v1/products HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic \(credentials)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{")
            try await Task.sleep(for: .milliseconds(500))

            kill(server.processIdentifier, SIGTERM)
            let signalled = ContinuousClock.now
            while server.isRunning, ContinuousClock.now - signalled < .seconds(60) {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(!server.isRunning)
            #expect(server.terminationStatus == 0)
            let log = try String(contentsOf: logURL, encoding: .utf8)
            #expect(log.contains("request cut off: the server is stopping"))
            #expect(log.contains("stopped"))
        }
    }

    /// Reads the port the server reports once it listens.
    static func waitForPort(in log: URL) async throws -> Int {
        let marker = "listening on 127.0.0.1:"
        for _ in 0..<200 {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: marker) {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) { return port }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CancellationError()
    }
}

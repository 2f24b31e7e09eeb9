import Foundation
import InventoryTestBackends
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Webhooks as shipped: `godown serve` processes delivering to `scripts/webhook-receiver.py`, the
/// receiver README shows, which checks every signature.
@Suite struct WebhookDeliveryTests {
    /// The receiver script, found from this file's place in the repository.
    static let receiverScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/webhook-receiver.py")

    /// The receiver running as a child process, and the JSON lines it has printed.
    final class Receiver: @unchecked Sendable {
        let process = Process()
        let output: URL

        init(secret: String, folder: URL) throws {
            output = folder.appendingPathComponent("receiver-\(UUID().uuidString).jsonl")
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", receiverScript.path, "--port", "0", "--secret", secret, "--delay", "0.02"]
            process.standardOutput = try FileHandle(forWritingTo: output)
            try process.run()
        }

        var lines: [[String: Any]] {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            }
        }

        /// The lines once `condition` holds for them, or when `timeout` has passed.
        func waitFor(timeout: Duration = .seconds(60), _ condition: ([[String: Any]]) -> Bool) async throws
            -> [[String: Any]]
        {
            let deadline = ContinuousClock.now.advanced(by: timeout)
            while !condition(lines) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            return lines
        }

        /// SIGKILL: a child of the test process may inherit a mask that blocks SIGTERM.
        func stop() {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
    }

    /// A server killed (`kill -9`) while it delivers loses nothing: another server started on the
    /// same database sends what was left, and what the dead one had claimed once its claim runs out.
    @Test(arguments: TestBackend.allCases)
    func aServerKilledDuringDeliveryLosesNothing(backend: TestBackend) async throws {
        try await GodownExecutable.withTemporaryFolder(backend: backend) { godown in
            try godown.run("product", "add", "DAL", "Toor dal", "--unit", "kg")
            let options = ["--allow-private-webhooks", "--webhook-timeout", "2"]
            let first = try await EventStreamTests.Server.start(godown, name: "first", arguments: options)
            // Given an endpoint for movements (disabled until its receiver listens), and the receiver
            let made = try await first.send(
                "POST", "/v1/webhooks",
                #"{"url":"http://127.0.0.1:9/later","event_types":["movement.recorded"],"enabled":false}"#)
            #expect(made.status == 201)
            let id = try #require(made.body["id"] as? Int)
            let receiver = try Receiver(secret: try #require(made.body["secret"] as? String), folder: godown.folder)
            defer { receiver.stop() }
            let port = try #require(try await receiver.waitFor { !$0.isEmpty }.first?["listening"] as? Int)
            let enabled = try await first.send(
                "PATCH", "/v1/webhooks/\(id)", #"{"url":"http://127.0.0.1:\#(port)/hook","enabled":true}"#)
            #expect(enabled.status == 200)

            // When 200 movements are recorded and the server is killed while it delivers them
            let count = 200
            try await EventStreamTests.record(count, through: first)
            _ = try await receiver.waitFor { $0.count > 20 }
            kill(first.process.processIdentifier, SIGKILL)
            first.process.waitUntilExit()
            let deliveredBeforeKill = Set(receiver.lines.compactMap { $0["id"] as? String }).count
            let second = try await EventStreamTests.Server.start(godown, name: "second", arguments: options)
            defer { second.stop() }

            // Then every movement arrives, each signed (the receiver refuses any other)
            let lines = try await receiver.waitFor { lines in
                Set(lines.compactMap { $0["id"] as? String }).count >= count
            }
            let ids = Set(lines.compactMap { $0["id"] as? String })
            #expect(deliveredBeforeKill < count, "the server was killed before it had delivered everything")
            #expect(ids.count == count)
            #expect(lines.allSatisfy { $0["rejected"] == nil })
            #expect(lines.filter { $0["id"] != nil }.allSatisfy { $0["type"] as? String == "movement.recorded" })
            let events = try await second.get("/v1/events?after=0-0&types=movement.recorded&limit=1000")
            let eventIDs = Set((events["events"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            #expect(ids == eventIDs)
            // And the endpoint's deliveries all say delivered
            var deliveries: [[String: Any]] = []
            for _ in 0..<200 {
                deliveries =
                    try await second.get("/v1/webhooks/\(id)/deliveries?limit=500")["items"] as? [[String: Any]] ?? []
                if deliveries.allSatisfy({ $0["state"] as? String == "delivered" }) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(deliveries.count == count)
            #expect(deliveries.allSatisfy { $0["state"] as? String == "delivered" })
        }
    }
}

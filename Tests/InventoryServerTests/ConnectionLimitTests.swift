import Foundation
import HummingbirdTesting
import InventoryCore
import InventoryTestBackends
import Testing

@testable import InventoryServer

/// Over real sockets, idle and slow connections cannot pile up: each is closed after its bound, and
/// at the connection limit a real request is still served. (Connections do not depend on the
/// backend, so these run on SQLite only.)
@Suite struct ConnectionLimitTests {
    static let quick = ConnectionLimits(
        idleTimeout: .seconds(1), requestHeadTimeout: .seconds(1), requestBodyTimeout: .seconds(1), connectionsMax: 100)

    @Test func anIdleConnectionIsClosed() async throws {
        try await withAPI(.sqlite, .live, connections: Self.quick) { client, _ in
            let port = try #require(client.port)
            let idle = try await RawConnection.open(port: port)
            // Nothing sent: the server hangs up after the idle timeout.
            #expect(try await idle.readUntilClosed(timeout: .seconds(20)) == "")
        }
    }

    @Test func aKeptAliveConnectionIsClosedOnceIdle() async throws {
        try await withAPI(.sqlite, .live, connections: Self.quick) { client, _ in
            let port = try #require(client.port)
            let connection = try await RawConnection.open(port: port)
            try await connection.send("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let received = try #require(try await connection.readUntilClosed(timeout: .seconds(20)))
            #expect(received.hasPrefix("HTTP/1.1 200") && received.hasSuffix("pong"))
        }
    }

    @Test func aHeadSentByteByByteIsCutOff() async throws {
        let limits = ConnectionLimits(
            idleTimeout: .seconds(60), requestHeadTimeout: .seconds(1), requestBodyTimeout: .seconds(60),
            connectionsMax: 100)
        try await withAPI(.sqlite, .live, connections: limits) { client, _ in
            let port = try #require(client.port)
            let slow = try await RawConnection.open(port: port)
            // A slowloris keeps the idle timer busy by trickling a head that never ends.
            let trickle = Task {
                for character in "GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: "
                    + String(repeating: "a", count: 100)
                {
                    try await slow.send(String(character))
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            defer { trickle.cancel() }
            #expect(try await slow.readUntilClosed(timeout: .seconds(20)) == "")
        }
    }

    @Test func aBodyThatNeverEndsIsCutOff() async throws {
        let limits = ConnectionLimits(
            idleTimeout: .seconds(60), requestHeadTimeout: .seconds(60), requestBodyTimeout: .seconds(1),
            connectionsMax: 100)
        try await withAPI(.sqlite, .live, connections: limits) { client, _ in
            let port = try #require(client.port)
            let slow = try await RawConnection.open(port: port)
            try await slow.send(
                "POST /v1/products HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: \(Credential.admin.header)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"sku\":")
            let received = try #require(try await slow.readUntilClosed(timeout: .seconds(20)))
            #expect(!received.contains("201"))
            #expect(try await client.send(.get, "/v1/products").decode(PageWire<ProductWire>.self).items.isEmpty)
        }
    }

    @Test func atTheLimitTheLongestIdleConnectionMakesRoom() async throws {
        let limits = ConnectionLimits(
            idleTimeout: .seconds(60), requestHeadTimeout: .seconds(60), requestBodyTimeout: .seconds(60),
            connectionsMax: 4)
        try await withAPI(.sqlite, .live, connections: limits) { client, _ in
            let port = try #require(client.port)
            var idle: [RawConnection] = []
            for _ in 0..<4 {
                idle.append(try await RawConnection.open(port: port))
                try await Task.sleep(for: .milliseconds(50))
            }
            // A fifth client with a real request is served, because the oldest idle one was closed.
            let served = try await RawConnection.request(port: port, from: "127.0.0.1", "GET", "/ping")
            #expect(served.status == 200)
            #expect(try await idle[0].readUntilClosed(timeout: .seconds(5)) == "")
        }
    }

    @Test func whenEveryConnectionIsBusyANewOneIsRefused() async throws {
        let limits = ConnectionLimits(
            idleTimeout: .seconds(60), requestHeadTimeout: .seconds(60), requestBodyTimeout: .seconds(60),
            connectionsMax: 2)
        try await withAPI(.sqlite, .live, connections: limits) { client, _ in
            let port = try #require(client.port)
            var busy: [RawConnection] = []
            for _ in 0..<2 {
                // A request whose body is still arriving keeps its connection busy, once its head has
                // been read (given a moment, as the whole suite runs at once).
                let connection = try await RawConnection.open(port: port)
                try await connection.send(
                    "POST /v1/products HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: \(Credential.admin.header)\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{")
                busy.append(connection)
                try await Task.sleep(for: .seconds(1))
            }
            let refused = try await RawConnection.open(port: port)
            // The server may have hung up before the request is even sent.
            try? await refused.send("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(try await refused.readUntilClosed(timeout: .seconds(5)) == "")
            // The busy ones are still open, their requests waiting for the rest of their bodies.
            #expect(try await busy[0].readUntilClosed(timeout: .seconds(1)) == nil)
            await busy[1].close()
        }
    }
}

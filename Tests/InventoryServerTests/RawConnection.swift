import Foundation
import NIOCore
import NIOPosix

/// A bare TCP connection to a live test server, from a chosen local address, for what an HTTP
/// client library will not do: send a request a few bytes at a time, hold a connection idle, or
/// come from 127.0.0.2 as a second client address.
final class RawConnection: Sendable {
    private let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>

    private init(channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        self.channel = channel
    }

    deinit {
        channel.outbound.finish()
    }

    static func open(port: Int, from localAddress: String = "127.0.0.1") async throws -> RawConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(to: try SocketAddress(ipAddress: localAddress, port: 0))
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return RawConnection(channel: channel)
    }

    /// Hangs up.
    func close() async {
        channel.outbound.finish()
        try? await channel.channel.close()
    }

    func send(_ text: String) async throws {
        try await channel.outbound.write(ByteBuffer(string: text))
    }

    /// Everything the server sends until it closes the connection or `timeout` passes; nil when the
    /// connection was still open at the end (the server neither answered in full nor hung up).
    func readUntilClosed(timeout: Duration) async throws -> String? {
        let channel = channel
        return try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                var received = ""
                do {
                    for try await buffer in channel.inbound { received += String(buffer: buffer) }
                } catch let error as IOError where error.errnoCode == ECONNRESET {
                    // Reset rather than closed: hung up all the same.
                }
                return received
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            channel.outbound.finish()
            try? await channel.channel.close()
            return first
        }
    }

    /// Sends one request with `Connection: close` and answers the response's status code.
    static func request(
        port: Int, from localAddress: String, _ method: String, _ path: String, headers: [String: String] = [:],
        body: String? = nil
    ) async throws -> (status: Int, text: String) {
        let connection = try await open(port: port, from: localAddress)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        try await connection.send(head + "\r\n" + (body ?? ""))
        let text = try await connection.readUntilClosed(timeout: .seconds(30)) ?? ""
        let status = text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
        return (status, text)
    }
}

import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A bare TCP connection to a live test server, from a chosen local address, for what an HTTP
/// client library will not do: send a request a few bytes at a time, hold a connection idle, or
/// come from 127.0.0.2 as a second client address.
final class RawConnection: Sendable {
    private let channel: any Channel
    /// Everything the server has sent so far.
    private let received: NIOLockedValueBox<String>

    private init(channel: any Channel, received: NIOLockedValueBox<String>) {
        self.channel = channel
        self.received = received
    }

    deinit {
        channel.close(promise: nil)
    }

    static func open(port: Int, from localAddress: String = "127.0.0.1") async throws -> RawConnection {
        let received = NIOLockedValueBox("")
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(received: received))
                }
            }
            .bind(to: try SocketAddress(ipAddress: localAddress, port: 0))
            .connect(host: "127.0.0.1", port: port)
            .get()
        return RawConnection(channel: channel, received: received)
    }

    /// What the server has sent so far, once `done` holds for it or `timeout` passes.
    func received(within timeout: Duration, until done: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            let text = received.withLockedValue { $0 }
            if done(text) || ContinuousClock.now > deadline { return text }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Hangs up.
    func close() async {
        try? await channel.close()
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// Everything the server sends until it closes the connection or `timeout` passes; nil when the
    /// connection was still open at the end (the server neither answered in full nor hung up). Hangs up either way.
    func readUntilClosed(timeout: Duration) async throws -> String? {
        let channel = channel
        let closedByServer = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try? await channel.closeFuture.get()
                return true
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            let first = try await group.next()!
            // Closing ends the wait on the close future too, so the group can finish.
            try? await channel.close()
            group.cancelAll()
            return first
        }
        return closedByServer ? received.withLockedValue { $0 } : nil
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

/// Keeps what arrives; a reset connection counts as hung up, like a closed one.
private final class Collector: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    let received: NIOLockedValueBox<String>

    init(received: NIOLockedValueBox<String>) {
        self.received = received
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        received.withLockedValue { $0 += String(buffer: buffer) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

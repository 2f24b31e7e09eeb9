import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 child channel with Godown's connection limits in front: admission by the
/// `ConnectionGovernor`, deadlines for a request's head and body, and the idle timeout.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let governor: ConnectionGovernor
    let limits: ConnectionLimits
    let logger: Logger

    init(
        responder: @escaping HTTPChannelHandler.Responder, limits: ConnectionLimits, governor: ConnectionGovernor,
        logger: Logger
    ) {
        self.governor = governor
        self.limits = limits
        self.logger = logger
        base = HTTP1Channel(
            responder: responder,
            configuration: .init(
                additionalChannelHandlers: [
                    RequestBodyDeadlineHandler(governor: governor, timeout: limits.requestBodyTimeout, logger: logger)
                ],
                idleTimeout: TimeAmount(limits.idleTimeout)))
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let head = RequestHeadDeadlineHandler(
            governor: governor, timeout: limits.requestHeadTimeout, logger: self.logger)
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(head)
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

import Logging
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request body takes longer than `ConnectionLimits.requestBodyTimeout`
/// after its head, and tells the `ConnectionGovernor` (and `RequestHeadDeadlineHandler`) when a
/// request starts and when its response ends.
final class RequestBodyDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let governor: ConnectionGovernor
    private let timeout: Duration
    private let logger: Logger
    private var deadline: Scheduled<Void>?

    init(governor: ConnectionGovernor, timeout: Duration, logger: Logger) {
        self.governor = governor
        self.timeout = timeout
        self.logger = logger
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            governor.requestStarted(on: context.channel)
            context.triggerUserOutboundEvent(RequestCycleEvent.headReceived, promise: nil)
            let channel = context.channel
            let logger = logger
            deadline?.cancel()
            deadline = context.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
                logger.notice("closing a connection whose request body took too long")
                channel.close(promise: nil)
            }
        case .body:
            break
        case .end:
            deadline?.cancel()
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let ended = if case .end = unwrapOutboundIn(data) { true } else { false }
        context.write(data, promise: promise)
        if ended {
            governor.requestEnded(on: context.channel)
            context.triggerUserOutboundEvent(RequestCycleEvent.responseEnded, promise: nil)
        }
    }
}

import Logging
import NIOCore

/// The first handler of every client connection: admits it through the `ConnectionGovernor`, and
/// closes it when a request's head (request line and headers) takes longer than
/// `ConnectionLimits.requestHeadTimeout` from its first byte to the blank line that ends it.
///
/// It sees raw bytes, before any HTTP decoding, because a head sent one byte at a time produces
/// nothing a later handler could see. `RequestBodyDeadlineHandler`, after the decoder, tells it
/// when the head has been decoded and when the response has ended (so the next byte begins a new
/// request), with `RequestCycleEvent`s sent back down the pipeline.
final class RequestHeadDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private enum State {
        /// Between requests: the next byte starts a head.
        case waiting
        /// Some of a head has arrived; the connection closes unless the rest does by the deadline.
        case readingHead(deadline: Scheduled<Void>)
        /// The head has arrived; the request is being read or answered.
        case inRequest
    }

    private let governor: ConnectionGovernor
    private let timeout: Duration
    private let logger: Logger
    private var state = State.waiting

    init(governor: ConnectionGovernor, timeout: Duration, logger: Logger) {
        self.governor = governor
        self.timeout = timeout
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        guard governor.admit(channel) else {
            context.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { [governor] _ in governor.closed(channel) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if case .readingHead(let deadline) = state { deadline.cancel() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .waiting = state, unwrapInboundIn(data).readableBytes > 0 {
            state = .readingHead(deadline: scheduleDeadline(context))
        }
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let event = event as? RequestCycleEvent else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch (event, state) {
        case (.headReceived, .readingHead(let deadline)):
            deadline.cancel()
            state = .inRequest
        case (.headReceived, _):
            state = .inRequest
        case (.responseEnded, .inRequest):
            state = .waiting
        case (.responseEnded, _):
            break
        }
        promise?.succeed()
    }

    private func scheduleDeadline(_ context: ChannelHandlerContext) -> Scheduled<Void> {
        let channel = context.channel
        let logger = logger
        return context.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            logger.notice("closing a connection whose request head took too long")
            channel.close(promise: nil)
        }
    }
}

/// What the request-level handler tells the byte-level one.
enum RequestCycleEvent {
    /// A request's head has been decoded.
    case headReceived
    /// The response to the current request has been written: the next byte starts a new request.
    case responseEnded
}

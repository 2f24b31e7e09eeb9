import Foundation
import HTTPTypes
import Hummingbird
import InventoryCore
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// `GET /v1/events`: the event log, scoped like every read. `Accept: text/event-stream` answers a
/// live stream of Server-Sent Events that resumes after `Last-Event-ID` (or `?after=`); otherwise a
/// page of JSON after `?after=` for clients that poll.
struct EventController {
    let reader: any EventReader
    let hub: EventHub

    func addRoutes(to v1: RouterGroup<AuthenticatedContext>) {
        v1.get("events", use: list)
    }

    @Sendable func list(request: Request, context: AuthenticatedContext) async throws -> Response {
        let caller = try context.authorize(.readStock)
        let parameters = RequestParameters(request: request, context: context)
        let types = try EventWire.types(parameters.string("types"))
        let storeID = try parameters.integer("store_id")
        if let storeID, !caller.principal.covers(storeID: storeID) {
            throw InventoryError.forbidden(reason: "store \(storeID) is not one of yours")
        }
        let administrator = caller.principal.role.allows(.readAccess)
        let lastEventID = request.headers[.lastEventID].flatMap { $0.isEmpty ? nil : $0 }
        let after = try (lastEventID ?? parameters.string("after")).map { text in
            do {
                return try EventPosition(cursor: text, field: "after")
            } catch {
                throw RequestError.malformed(
                    "\(lastEventID == nil ? "after" : "Last-Event-ID") must be an event id such as 7412-9983")
            }
        }
        let limit = Int(try parameters.integer("limit") ?? Int64(Limits.pageSizeDefault))
        let query = try EventQuery(
            after: after ?? .start, scope: caller.principal.scope, administrator: administrator, storeID: storeID,
            types: types, limit: limit)
        if request.headers[.accept]?.contains("text/event-stream") ?? false {
            return try await stream(query, resuming: after != nil, principal: caller.principal)
        }
        let batch = try await reader.events(query)
        var body = #"{"events":["#
        for (index, event) in batch.events.enumerated() {
            if index > 0 { body += "," }
            body += EventWire.json(event)
        }
        body += #"],"next":""# + batch.reachedPosition.description + #""}"#
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// A stream that starts after `query.after` when the client resumes, else at the newest event
    /// in the log (which may be ahead of what the hub has read).
    private func stream(_ query: EventQuery, resuming: Bool, principal: Principal) async throws -> Response {
        var query = query
        query.limit = min(max(query.limit, 100), Limits.eventPageSizeMax)
        // A resumed stream reads its first events now, so a cursor older than retention is a 410
        // rather than an error inside the stream.
        var first: EventBatch?
        if resuming {
            first = try await reader.events(query)
        } else {
            query.after = try await reader.latestEventPosition()
        }
        let key = "\(principal.identity.kind.rawValue):\(principal.identity.id ?? 0):\(principal.identity.name)"
        let slot = try await StreamSlot(hub: hub, key: key)
        let reader = self.reader
        let hub = self.hub
        let start = query
        let opening = first
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store", .init("X-Accel-Buffering")!: "no"],
            body: ResponseBody { writer in
                let stream = StreamWriter(writer)
                do {
                    try await Self.dropIfStalled(stream, after: hub.configuration.stalledWriteTimeout) {
                        try await Self.follow(start, first: opening, reader: reader, hub: hub, writer: stream)
                    }
                } catch {
                    await slot.release()
                    throw error
                }
                await slot.release()
                try await stream.writer.finish(nil)
            })
    }

    /// One of the hub's stream slots, held by a response: released when its body ends, or when the
    /// response is dropped without its body ever running (the client left before the head was sent).
    final class StreamSlot: Sendable {
        let hub: EventHub
        let key: String
        private let released = NIOLockedValueBox(false)

        init(hub: EventHub, key: String) async throws {
            try await hub.openStream(for: key)
            self.hub = hub
            self.key = key
        }

        func release() async {
            let first = released.withLockedValue { released in
                defer { released = true }
                return !released
            }
            if first { await hub.closeStream(for: key) }
        }

        deinit {
            guard !released.withLockedValue({ $0 }) else { return }
            let (hub, key) = (hub, key)
            Task { await hub.closeStream(for: key) }
        }
    }

    /// The response's writer, and since when a write has waited for the client to take it.
    /// Only the stream's own task writes; the watchdog reads `pendingSince` under its lock.
    final class StreamWriter: @unchecked Sendable {
        var writer: any ResponseBodyWriter
        private let pending = NIOLockedValueBox<ContinuousClock.Instant?>(nil)

        init(_ writer: any ResponseBodyWriter) {
            self.writer = writer
        }

        var pendingSince: ContinuousClock.Instant? { pending.withLockedValue { $0 } }

        func write(_ text: String) async throws {
            pending.withLockedValue { $0 = .now }
            defer { pending.withLockedValue { $0 = nil } }
            try await writer.write(ByteBuffer(string: text))
        }
    }

    struct StreamStalled: Error {}

    /// Runs `work` (the stream) beside a watchdog that ends it with `StreamStalled` once a write
    /// has waited `timeout` for the client: cancelling the stream's task ends the waiting write.
    private static func dropIfStalled(
        _ stream: StreamWriter, after timeout: Duration, _ work: @escaping @Sendable () async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await work() }
            group.addTask {
                while true {
                    try await Task.sleep(for: min(timeout, .seconds(1)))
                    if let since = stream.pendingSince, ContinuousClock.now - since >= timeout { throw StreamStalled() }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Writes each admitted event as it is appended (`first`, when already read, before anything),
    /// a comment when idle, until the client goes away or the server shuts down.
    private static func follow(
        _ query: EventQuery, first: EventBatch?, reader: any EventReader, hub: EventHub, writer: StreamWriter
    ) async throws {
        var query = query
        var first = first
        let keepAlive = hub.configuration.keepAliveInterval
        let clock = ContinuousClock()
        try await writer.write(": stream open\nretry: 2000\n\n")
        var lastWrite = clock.now
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let generation = await hub.currentGeneration
            let batch: EventBatch
            if let opening = first {
                (batch, first) = (opening, nil)
            } else if let recent = await hub.recentEvents(after: query.after, admitting: query) {
                batch = recent
            } else {
                batch = try await reader.events(query)
            }
            if !batch.events.isEmpty {
                var frames = ""
                for event in batch.events {
                    frames += "id: \(event.position)\nevent: \(event.type.rawValue)\ndata: \(EventWire.json(event))\n\n"
                }
                try await writer.write(frames)
                lastWrite = clock.now
            }
            query.after = batch.reachedPosition
            if batch.events.count == query.limit { continue }
            await waitForChange(hub, since: generation, timeout: keepAlive - (clock.now - lastWrite))
            // Other streams' events wake this one too; it still says something at least every interval.
            if clock.now - lastWrite >= keepAlive && !Task.isShuttingDownGracefully {
                try await writer.write(": keep-alive\n\n")
                lastWrite = clock.now
            }
        }
    }

    /// Waits for the hub to read more, at most `timeout`, or until the server shuts down.
    private static func waitForChange(_ hub: EventHub, since generation: Int, timeout: Duration) async {
        guard timeout > .zero else { return }
        await cancelWhenGracefulShutdown {
            await hub.waitForChange(since: generation, timeout: timeout)
        }
    }
}

extension HTTPField.Name {
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}

import InventoryCore
import Logging
import ServiceLifecycle

/// Follows the event log for every stream of this instance: one reader fetches what was appended
/// (when woken, and every `pollInterval` in case a wake-up was missed) and keeps the most recent
/// events, which streams filter in memory; a stream whose cursor is older than what the hub keeps
/// reads the log itself until it catches up. Streams never buffer: each pulls when it can write.
///
/// Something outside wakes the hub when the log may have grown: on PostgreSQL a listener on the
/// notification writers send after they commit, on SQLite the poll itself (a second process, the command line, writes to
/// the same file).
public actor EventHub: Service {
    public struct Configuration: Sendable {
        /// How often the hub reads the log without being woken.
        public var pollInterval: Duration
        /// Events kept in memory for streams that are up to date.
        public var recentMax: Int
        /// Streams open at once on this instance, and per caller.
        public var streamsMax: Int
        public var streamsPerPrincipalMax: Int
        /// How often an idle stream sends a comment, so proxies keep it open.
        public var keepAliveInterval: Duration
        /// The least time between two reads, however often the hub is woken.
        public var readIntervalMin: Duration
        /// A stream whose client has not taken what was written for this long is dropped (it
        /// resumes with `Last-Event-ID` once it reads again), so a stalled reader does not hold a
        /// stream and a connection for ever.
        public var stalledWriteTimeout: Duration

        public init(
            pollInterval: Duration = .seconds(5), recentMax: Int = Limits.recentEventsKept,
            streamsMax: Int = Limits.eventStreamsMax, streamsPerPrincipalMax: Int = Limits.eventStreamsPerPrincipalMax,
            keepAliveInterval: Duration = Limits.eventStreamKeepAlive, readIntervalMin: Duration = .milliseconds(10),
            stalledWriteTimeout: Duration = Limits.eventStreamStalledWriteTimeout
        ) {
            self.pollInterval = pollInterval
            self.recentMax = recentMax
            self.streamsMax = streamsMax
            self.streamsPerPrincipalMax = streamsPerPrincipalMax
            self.keepAliveInterval = keepAliveInterval
            self.readIntervalMin = readIntervalMin
            self.stalledWriteTimeout = stalledWriteTimeout
        }
    }

    public nonisolated let configuration: Configuration
    private let reader: any EventReader
    private let logger: Logger
    /// Events after `coveredFrom`, in log order, up to `head`.
    private var recent: [Event] = []
    private var coveredFrom: EventPosition?
    private var head: EventPosition?
    private var generation = 0
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextWaiter = 0
    private var woken = false
    private var wakeUp: CheckedContinuation<Void, Never>?
    private var streams: [String: Int] = [:]

    public init(reader: any EventReader, configuration: Configuration = Configuration(), logger: Logger) {
        self.reader = reader
        self.configuration = configuration
        self.logger = logger
    }

    /// Asks the hub to read the log now. Safe from any thread, as often as wanted: wake-ups that
    /// arrive while it reads fold into one more read.
    public nonisolated func wake() {
        Task { await self.markWoken() }
    }

    private func markWoken() {
        woken = true
        wakeUp?.resume()
        wakeUp = nil
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.refresh()
                // Wake-ups closer together than this fold into one read.
                try? await Task.sleep(for: self.configuration.readIntervalMin)
                await self.sleepUntilWoken()
            }
        }
        for waiter in waiters.values { waiter.resume() }
        waiters = [:]
    }

    private func sleepUntilWoken() async {
        if woken { return }
        let interval = configuration.pollInterval
        let timer = Task {
            try? await Task.sleep(for: interval)
            self.markWoken()
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if woken || Task.isCancelled { continuation.resume() } else { wakeUp = continuation }
            }
        } onCancel: {
            Task { await self.markWoken() }
        }
        timer.cancel()
    }

    /// Reads what the log gained since `head`, keeps it, and wakes every stream when there was any.
    /// With no stream open it reads nothing (and forgets what it kept): the log may have grown, so
    /// it only wakes the other consumers, which read for themselves.
    private func refresh() async {
        woken = false
        guard !streams.isEmpty else {
            (head, coveredFrom, recent) = (nil, nil, [])
            advance()
            return
        }
        do {
            guard let start = head else {
                let position = try await reader.latestEventPosition()
                head = position
                coveredFrom = position
                return
            }
            var position = start
            var gained: [Event] = []
            while true {
                let batch = try await reader.events(
                    EventQuery(after: position, scope: .all, administrator: true, limit: Limits.eventPageSizeMax))
                gained += batch.events
                position = batch.reachedPosition
                if batch.events.count < Limits.eventPageSizeMax { break }
            }
            guard position != start else { return }
            recent += gained
            head = position
            if recent.count > configuration.recentMax {
                let dropped = recent.count - configuration.recentMax
                coveredFrom = recent[dropped - 1].position
                recent.removeFirst(dropped)
            }
            advance()
        } catch InventoryError.eventsPruned {
            // The hub fell behind retention (a long outage): start again from the head.
            head = nil
        } catch {
            logger.warning("event hub could not read the log", metadata: ["error": "\(error)"])
        }
    }

    /// A new generation: wakes everything waiting for the hub to read more.
    private func advance() {
        generation += 1
        for waiter in waiters.values { waiter.resume() }
        waiters = [:]
    }

    /// The events after `cursor` that `query` admits and how far they reach, from memory; nil when
    /// the hub no longer keeps (or has not read) what follows `cursor`.
    func recentEvents(after cursor: EventPosition, admitting query: EventQuery) -> EventBatch? {
        guard let coveredFrom, let head, cursor >= coveredFrom else { return nil }
        guard cursor < head else { return EventBatch(events: [], reachedPosition: cursor) }
        let start = firstIndex(after: cursor)
        let events = recent[start...].filter(query.admits)
        return EventBatch(
            events: Array(events.prefix(query.limit)),
            reachedPosition: events.count > query.limit
                ? events[query.limit - 1].position : head)
    }

    private func firstIndex(after cursor: EventPosition) -> Int {
        var low = recent.startIndex
        var high = recent.endIndex
        while low < high {
            let middle = (low + high) / 2
            if recent[middle].position <= cursor { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Waits until the hub has read more than it had at `generation`, or `timeout` passes.
    func waitForChange(since seen: Int, timeout: Duration) async {
        guard generation == seen else { return }
        let id = nextWaiter
        nextWaiter += 1
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.resumeWaiter(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled { continuation.resume() } else { waiters[id] = continuation }
            }
        } onCancel: {
            Task { await self.resumeWaiter(id) }
        }
        timer.cancel()
    }

    private func resumeWaiter(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume()
    }

    var currentGeneration: Int { generation }

    /// Admits one more stream for `principal`, or refuses it (429) past either bound.
    func openStream(for principal: String) throws(InventoryError) {
        let total = streams.values.reduce(0, +)
        guard total < configuration.streamsMax, streams[principal, default: 0] < configuration.streamsPerPrincipalMax
        else { throw .rateLimited(retryAfterSeconds: 5) }
        streams[principal, default: 0] += 1
        markWoken()
    }

    func closeStream(for principal: String) {
        streams[principal, default: 1] -= 1
        if streams[principal] == 0 { streams[principal] = nil }
    }
}

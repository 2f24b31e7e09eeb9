import Logging
import PostgresNIO
import ServiceLifecycle

/// Keeps one pooled connection listening for the notification every commit that appended events
/// sends, and calls `wake` for each. postgres-nio does not reconnect a listener, so this does: after
/// a lost connection (PostgreSQL restarted) it tries again with a growing pause, and wakes once on
/// every new connection, since what committed meanwhile was never notified. A notification is only
/// a wake-up; readers catch up by their cursor.
public struct PostgresEventListener: Service {
    let storage: PostgresInventoryStorage
    let wake: @Sendable () -> Void
    let logger: Logger

    public init(storage: PostgresInventoryStorage, logger: Logger, wake: @escaping @Sendable () -> Void) {
        self.storage = storage
        self.logger = logger
        self.wake = wake
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await listen() }
    }

    private func listen() async {
        let clock = ContinuousClock()
        var pause = Duration.milliseconds(250)
        do {
            while !Task.isCancelled {
                let started = clock.now
                do {
                    try await storage.client.withConnection { connection in
                        try await connection.listen(on: PostgresSchema.eventChannel) { notifications in
                            logger.notice("listening for events")
                            wake()
                            for try await _ in notifications { wake() }
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                    logger.warning(
                        "event listener lost its connection", metadata: ["error": "\(String(reflecting: error))"])
                }
                // A connection that lived a while starts the pauses over.
                if clock.now - started > .seconds(30) { pause = .milliseconds(250) }
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        } catch {
            // Cancelled while pausing: the service is stopping.
        }
    }
}

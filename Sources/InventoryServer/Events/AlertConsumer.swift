import InventoryCore
import Logging
import ServiceLifecycle

/// Runs the low-stock alert consumer: a pass when the event hub is woken (and every `interval`
/// besides), at most one per `passIntervalMin`, passes back to back while there is a backlog.
public struct AlertConsumer: Service {
    let alerts: any AlertWriter
    let hub: EventHub
    let interval: Duration
    let passIntervalMin: Duration
    let logger: Logger

    public init(
        alerts: any AlertWriter, hub: EventHub, interval: Duration = .seconds(1),
        passIntervalMin: Duration = .milliseconds(500), logger: Logger
    ) {
        self.alerts = alerts
        self.hub = hub
        self.interval = interval
        self.passIntervalMin = passIntervalMin
        self.logger = logger
    }

    public func run() async throws {
        let batch = 500
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let generation = await hub.currentGeneration
                do {
                    let progress = try await alerts.processAlerts(limit: batch)
                    if progress.raised + progress.resolved > 0 {
                        logger.info(
                            "alerts", metadata: ["raised": "\(progress.raised)", "resolved": "\(progress.resolved)"])
                    }
                    if progress.eventsRead == batch { continue }
                } catch {
                    logger.warning("alert consumer failed a pass", metadata: ["error": "\(error)"])
                }
                // A pass is a write transaction: under a stream of writes, one per `passIntervalMin` at most.
                try? await Task.sleep(for: passIntervalMin)
                await hub.waitForChange(since: generation, timeout: interval)
            }
        }
    }
}

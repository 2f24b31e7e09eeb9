import Foundation
import InventoryCore
import Logging
import ServiceLifecycle

/// Prunes events older than the retention, at start and then every `interval`. A cursor into what
/// it pruned is told so by the log (410 on the stream) instead of silently skipping.
public struct EventRetention: Service {
    let maintenance: any EventMaintenance
    let retention: TimeInterval
    let interval: Duration
    let time: any TimeSource
    let logger: Logger

    public init(
        maintenance: any EventMaintenance, retentionDays: Int, interval: Duration = .seconds(3_600),
        time: any TimeSource = SystemTime(), logger: Logger
    ) {
        self.maintenance = maintenance
        retention = TimeInterval(retentionDays * 86_400)
        self.interval = interval
        self.time = time
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let cutoff = time.now.addingTimeInterval(-retention)
                    let pruned = try await maintenance.pruneEvents(recordedBefore: cutoff)
                    if pruned > 0 { logger.info("pruned events", metadata: ["count": "\(pruned)"]) }
                } catch {
                    logger.warning("could not prune events", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}

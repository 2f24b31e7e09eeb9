import Foundation
import InventoryCore

/// A time a test sets: it stands still until the test moves it forward.
public final class ManualTime: TimeSource, @unchecked Sendable {
    // Both stored properties are read and written under `lock` only.
    private let lock = NSLock()
    private var date: Date
    private var elapsed: Duration = .zero
    private let origin = ContinuousClock.now

    /// Starts at `start` (by default the moment it is made), in whole milliseconds as the databases
    /// store times.
    public init(_ start: Date = Date()) {
        date = start.truncatedToMilliseconds
    }

    public var now: Date { lock.withLock { date } }
    public var instant: ContinuousClock.Instant { lock.withLock { origin + elapsed } }

    /// Moves the time forward by `duration`.
    public func advance(by duration: Duration) {
        lock.withLock {
            date = date.addingTimeInterval(
                TimeInterval(duration.components.seconds) + TimeInterval(duration.components.attoseconds) / 1e18)
            elapsed += duration
        }
    }
}

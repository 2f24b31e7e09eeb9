import Foundation

/// Where Godown reads the time: storage (when things happened and were recorded), tokens (when
/// they expire), rate limits and caches (how long since), reports (the default window).
///
/// Production runs on `SystemTime`; a test hands in a time it sets, and moves it forward instead of
/// sleeping.
public protocol TimeSource: Sendable {
    /// The time of day, as recorded in the ledger and the audit log.
    var now: Date { get }
    /// A monotonic instant for measuring how long since (a bucket's refill, a cache entry's age),
    /// which setting the system clock cannot move.
    var instant: ContinuousClock.Instant { get }
}

/// The system's clocks.
public struct SystemTime: TimeSource {
    public init() {}

    public var now: Date { Date() }
    public var instant: ContinuousClock.Instant { .now }
}

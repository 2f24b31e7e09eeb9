import Foundation

/// Reads the event log, in log order.
public protocol EventReader: Sendable {
    /// The events after `query.after` that the query admits, up to its limit, and how far the read
    /// got. Throws `eventsPruned` when `query.after` is older than the oldest event kept (and is not
    /// `EventPosition.start`).
    func events(_ query: EventQuery) async throws -> EventBatch

    /// The position of the newest event a reader may read now (`EventPosition.start` when none).
    func latestEventPosition() async throws -> EventPosition
}

/// Keeps the event log to its retention.
public protocol EventMaintenance: Sendable {
    /// Deletes the events recorded before `cutoff` and remembers how far it went; answers how many.
    @discardableResult
    func pruneEvents(recordedBefore cutoff: Date) async throws -> Int
}

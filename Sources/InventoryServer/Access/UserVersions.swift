import Foundation
import InventoryCore
import NIOConcurrencyHelpers

/// What each user looks like now (their last change, and whether they are active), so that a
/// token or a remembered password issued before a change stops working on the next request.
///
/// A change made through this server is recorded at once. A change made elsewhere (the command
/// line, another instance) is noticed within `recheckAfter`, when the entry is read again.
final class UserVersions: Sendable {
    private struct Entry {
        var version: Int64
        var active: Bool
        var checked: ContinuousClock.Instant
    }

    private let recheckAfter: Duration
    private let capacity: Int
    private let time: any TimeSource
    private let entries = NIOLockedValueBox<[Int64: Entry]>([:])

    init(recheckAfter: Duration, capacity: Int, time: any TimeSource) {
        self.recheckAfter = recheckAfter
        self.capacity = capacity
        self.time = time
    }

    /// A user's version: the time of their last change, in milliseconds.
    static func version(of user: User) -> Int64 { user.updatedAt.unixMilliseconds }

    /// True while user `id` is active and unchanged since `version`; `read` fetches the user when
    /// the entry is missing or older than `recheckAfter`.
    func isCurrent(userID id: Int64, version: Int64, read: (Int64) async throws -> User?) async throws -> Bool {
        let now = time.instant
        let cached = entries.withLockedValue { entries -> Entry? in
            guard let entry = entries[id], now - entry.checked < recheckAfter else { return nil }
            return entry
        }
        if let cached { return cached.active && cached.version == version }
        guard let user = try await read(id) else { return false }
        record(user)
        return user.active && Self.version(of: user) == version
    }

    /// Records `user` as it is now (after a change, or a fresh read).
    func record(_ user: User) {
        let now = time.instant
        entries.withLockedValue { entries in
            if entries[user.id] == nil, entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[user.id] = Entry(version: Self.version(of: user), active: user.active, checked: now)
        }
    }
}

import Foundation
import InventoryCore
import NIOConcurrencyHelpers

/// Access tokens whose signature has been checked, with whom they stand for, until they expire.
/// A client sends the same token on every call for its whole lifetime; remembering it saves the
/// signature check and the JSON decoding of its claims on all calls but the first.
///
/// Only a token that passed verification is ever stored, keyed by its whole text, so a cached
/// answer is one verification would give until the token's own expiry. Memory is bounded: when
/// full, expired tokens are dropped, and if that frees nothing every token is (a flood of distinct
/// valid tokens costs a verification each, as it would with no cache).
final class VerifiedTokens: Sendable {
    private struct Entry {
        var principal: Principal
        var version: Int64
        var expires: Date
    }

    private let capacity: Int
    private let time: any TimeSource
    private let entries: NIOLockedValueBox<[String: Entry]>

    init(capacity: Int, time: any TimeSource) {
        self.capacity = capacity
        self.time = time
        entries = NIOLockedValueBox([:])
    }

    var count: Int { entries.withLockedValue { $0.count } }

    /// Whom `token` stands for, and the user's version it was issued at, if it was verified before
    /// and has not expired.
    func principal(for token: String) -> (principal: Principal, version: Int64)? {
        let now = time.now
        return entries.withLockedValue { entries in
            guard let entry = entries[token] else { return nil }
            guard now < entry.expires else {
                entries[token] = nil
                return nil
            }
            return (entry.principal, entry.version)
        }
    }

    /// Remembers a token that has just passed verification.
    func remember(_ token: String, as principal: Principal, version: Int64, expires: Date) {
        let now = time.now
        entries.withLockedValue { entries in
            if entries[token] == nil, entries.count >= capacity {
                entries = entries.filter { now < $0.value.expires }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = Entry(principal: principal, version: version, expires: expires)
        }
    }
}

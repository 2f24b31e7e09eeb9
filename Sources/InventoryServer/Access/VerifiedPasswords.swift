import Crypto
import Foundation
import InventoryCore
import NIOConcurrencyHelpers

/// Passwords checked recently, so that HTTP Basic callers pay for one bcrypt check rather than one
/// per request, and concurrent requests with the same credentials wait for a single check.
///
/// Entries are keyed by an HMAC of the username and password under a key made at start-up, never by
/// the password. They last `lifetime`, and a hit counts only while the user is unchanged (the
/// `UserVersions` check), so a password change, deactivation or new role ends it at once. Memory is
/// bounded: when full, expired entries go, and if that frees nothing, all of them do.
final class VerifiedPasswords: Sendable {
    private struct Entry {
        var user: User
        var expires: ContinuousClock.Instant
    }

    private let key = SymmetricKey(size: .bits256)
    private let lifetime: Duration
    private let capacity: Int
    private let time: any TimeSource
    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    private let checks = NIOLockedValueBox<[String: [CheckedContinuation<Result<User, any Error>?, Never>]]>([:])

    init(lifetime: Duration, capacity: Int, time: any TimeSource) {
        self.lifetime = lifetime
        self.capacity = capacity
        self.time = time
    }

    /// The cache key of a username and password.
    func fingerprint(username: String, password: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data((username + "\u{0}" + password).utf8), using: key)
        return Data(mac).base64EncodedString()
    }

    /// The user these credentials were verified as, if that was within `lifetime`.
    func user(for fingerprint: String) -> User? {
        let now = time.instant
        return entries.withLockedValue { entries in
            guard let entry = entries[fingerprint] else { return nil }
            guard now < entry.expires else {
                entries[fingerprint] = nil
                return nil
            }
            return entry.user
        }
    }

    func remember(_ fingerprint: String, as user: User) {
        let now = time.instant
        entries.withLockedValue { entries in
            if entries[fingerprint] == nil, entries.count >= capacity {
                entries = entries.filter { now < $0.value.expires }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[fingerprint] = Entry(user: user, expires: now + lifetime)
        }
    }

    /// Runs `check` for `fingerprint` unless one is running already, in which case this waits for
    /// that one's answer: fifty simultaneous requests with the same credentials cost one bcrypt.
    func coalescing(_ fingerprint: String, _ check: () async throws -> User) async throws -> User {
        while true {
            let leads = checks.withLockedValue { checks in
                guard checks[fingerprint] == nil else { return false }
                checks[fingerprint] = []
                return true
            }
            if leads { break }
            let answer: Result<User, any Error>? = await withCheckedContinuation { continuation in
                let joined = checks.withLockedValue { checks in
                    guard checks[fingerprint] != nil else { return false }
                    checks[fingerprint]!.append(continuation)
                    return true
                }
                // The running check ended between the two looks: try again, perhaps leading.
                if !joined { continuation.resume(returning: nil) }
            }
            if let answer { return try answer.get() }
        }
        let result: Result<User, any Error>
        do {
            result = .success(try await check())
        } catch {
            result = .failure(error)
        }
        let waiting = checks.withLockedValue { $0.removeValue(forKey: fingerprint) ?? [] }
        for continuation in waiting { continuation.resume(returning: result) }
        return try result.get()
    }
}

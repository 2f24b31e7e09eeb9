import InventoryCore
import NIOConcurrencyHelpers

/// Limits password guessing without handing anyone a way to lock a user out. Only failures count:
///
/// - per username and client address: after `loginPerUsername.capacity` failures, that address may
///   not try that username again until its bucket refills (another address still may);
/// - per client address, whatever the username: after `loginPerAddress.capacity` failures, that
///   address may try only usernames that have signed in from it before, so one clerk mistyping (or
///   an intruder on the shop's network) does not lock out every till behind the same address;
/// - per username, from every address together: past `loginPerAddress.capacity` failures each
///   further attempt waits `slowdown` before its check. A guesser spread over many addresses is
///   slowed; the right password from anywhere still signs in, only later.
///
/// An attempt reserves its tokens while it is checked and gives them back when the password was
/// right, so concurrent guesses cannot outrun the limits.
final class PasswordAttempts: Sendable {
    private let byPair: RateLimiter
    private let byAddress: RateLimiter
    private let byUsername: RateLimiter
    private let slowdown: Duration
    /// (username, address) pairs that signed in, which the per-address limit does not stop.
    private let trusted: NIOLockedValueBox<Set<String>>
    private let trustedMax: Int

    init(configuration: RateLimitConfiguration, time: any TimeSource) {
        byPair = RateLimiter(rule: configuration.loginPerUsername, keysMax: configuration.trackedKeysMax, time: time)
        byAddress = RateLimiter(rule: configuration.loginPerAddress, keysMax: configuration.trackedKeysMax, time: time)
        byUsername = RateLimiter(rule: configuration.loginPerAddress, keysMax: configuration.trackedKeysMax, time: time)
        slowdown = configuration.loginSlowdown
        trusted = NIOLockedValueBox([])
        trustedMax = configuration.trackedKeysMax
    }

    /// An attempt under way; settle it with `succeeded` or `failed`.
    struct Attempt: Sendable {
        fileprivate var username: String
        fileprivate var address: String
        fileprivate var pair: String
        fileprivate var tookAddressToken: Bool
    }

    /// Reserves an attempt for `username` from `address`, waiting first if the username is under
    /// attack; throws `RateLimitExceeded` (naming the bucket that refused) when it may not be made.
    func begin(username: String, address: String) async throws -> Attempt {
        let pair = username + "\u{1F}" + address
        let pairDecision = byPair.take(pair)
        guard pairDecision.allowed else { throw RateLimitExceeded(decision: pairDecision) }
        var attempt = Attempt(username: username, address: address, pair: pair, tookAddressToken: false)
        if !trusted.withLockedValue({ $0.contains(pair) }) {
            let addressDecision = byAddress.take(address)
            guard addressDecision.allowed else {
                byPair.refund(pair)
                throw RateLimitExceeded(decision: addressDecision)
            }
            attempt.tookAddressToken = true
        }
        if !byUsername.peek(username).allowed {
            try await Task.sleep(for: slowdown)
        }
        return attempt
    }

    /// The password was right: the reserved tokens go back and the pair is trusted from now on.
    func succeeded(_ attempt: Attempt) {
        abandoned(attempt)
        trusted.withLockedValue { trusted in
            if trusted.count >= trustedMax { trusted.removeAll(keepingCapacity: true) }
            trusted.insert(attempt.pair)
        }
    }

    /// The password was wrong: the reserved tokens stay spent, and the username counts one more failure.
    func failed(_ attempt: Attempt) {
        _ = byUsername.take(attempt.username)
    }

    /// The check could not be made (the database was unavailable): nothing was learnt, nothing counts.
    func abandoned(_ attempt: Attempt) {
        byPair.refund(attempt.pair)
        if attempt.tookAddressToken { byAddress.refund(attempt.address) }
    }
}

import InventoryCore
import NIOConcurrencyHelpers

/// Token buckets by key (a principal, an address, a username), with bounded memory.
///
/// A bucket holds thousandths of a token so that refills stay exact integers. When more than
/// `keysMax` keys are tracked, full buckets (which equal fresh ones) are forgotten first, then the
/// longest idle, so a flood of addresses cannot grow memory without bound.
final class RateLimiter: Sendable {
    struct Decision: Sendable {
        var allowed: Bool
        var limit: Int
        var remaining: Int
        /// Seconds until one token is back (for `Retry-After`) and until the bucket is full.
        var retryAfterSeconds: Int
        var resetSeconds: Int
    }

    private struct Bucket {
        var milliTokens: Int64
        var updated: ContinuousClock.Instant
    }

    private let rule: TokenBucketRule
    private let keysMax: Int
    private let time: any TimeSource
    private let buckets: NIOLockedValueBox<[String: Bucket]>

    init(rule: TokenBucketRule, keysMax: Int, time: any TimeSource) {
        self.rule = rule
        self.keysMax = keysMax
        self.time = time
        self.buckets = NIOLockedValueBox([:])
    }

    var trackedKeys: Int { buckets.withLockedValue { $0.count } }

    /// Takes one token for `key` if there is one.
    func take(_ key: String) -> Decision {
        let now = time.instant
        return buckets.withLockedValue { buckets in
            var bucket = refilled(buckets[key], now: now)
            let allowed = bucket.milliTokens >= 1000
            if allowed { bucket.milliTokens -= 1000 }
            if buckets[key] == nil, buckets.count >= keysMax { evict(&buckets, now: now) }
            buckets[key] = bucket
            return decision(bucket, allowed: allowed)
        }
    }

    /// How `key`'s bucket stands, without taking a token.
    func peek(_ key: String) -> Decision {
        let now = time.instant
        return buckets.withLockedValue { buckets in
            let bucket = refilled(buckets[key], now: now)
            return decision(bucket, allowed: bucket.milliTokens >= 1000)
        }
    }

    /// Gives back a token taken for `key` (a login that turned out right).
    func refund(_ key: String) {
        buckets.withLockedValue { buckets in
            guard var bucket = buckets[key] else { return }
            bucket.milliTokens = min(bucket.milliTokens + 1000, Int64(rule.capacity) * 1000)
            buckets[key] = bucket
        }
    }

    private func refilled(_ bucket: Bucket?, now: ContinuousClock.Instant) -> Bucket {
        let full = Int64(rule.capacity) * 1000
        guard var bucket else { return Bucket(milliTokens: full, updated: now) }
        let elapsed = Self.nanoseconds(now - bucket.updated)
        let gained = elapsed * 1000 / max(1, Self.nanoseconds(rule.refillEvery))
        if gained > 0 {
            bucket.milliTokens = min(full, bucket.milliTokens + gained)
            // Keep the remainder of a partly refilled thousandth by advancing time only for what was credited.
            bucket.updated =
                bucket.milliTokens == full
                ? now : bucket.updated + .nanoseconds(gained * Self.nanoseconds(rule.refillEvery) / 1000)
        }
        return bucket
    }

    private func decision(_ bucket: Bucket, allowed: Bool) -> Decision {
        let interval = Self.nanoseconds(rule.refillEvery)
        let missingForOne = max(0, 1000 - bucket.milliTokens)
        let missingForFull = Int64(rule.capacity) * 1000 - bucket.milliTokens
        return Decision(
            allowed: allowed, limit: rule.capacity, remaining: Int(bucket.milliTokens / 1000),
            retryAfterSeconds: Self.seconds(missingForOne * interval / 1000),
            resetSeconds: Self.seconds(missingForFull * interval / 1000))
    }

    private func evict(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant) {
        let full = Int64(rule.capacity) * 1000
        buckets = buckets.filter { refilled($0.value, now: now).milliTokens < full }
        guard buckets.count >= keysMax else { return }
        // Still full of busy keys: forget the idlest tenth.
        let idlest = buckets.sorted { $0.value.updated < $1.value.updated }.prefix(max(1, keysMax / 10))
        for (key, _) in idlest { buckets[key] = nil }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    /// Whole seconds, rounded up.
    private static func seconds(_ nanoseconds: Int64) -> Int {
        Int((nanoseconds + 999_999_999) / 1_000_000_000)
    }
}

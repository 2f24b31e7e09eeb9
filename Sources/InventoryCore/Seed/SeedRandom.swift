/// SplitMix64: a tiny, fast, deterministic generator, so a seed always builds the same data.
public struct SeedRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// A generator for one part of the data, independent of how much the others drew.
    public static func derived(_ seed: UInt64, _ parts: UInt64...) -> SeedRandom {
        var random = SeedRandom(seed: parts.reduce(seed) { ($0 &* 0x1000_0000_01B3) ^ $1 })
        _ = random.next()
        return random
    }
}

import Foundation

extension Date {
    /// Whole milliseconds since 1970, to the nearest: the precision every backend stores, so a time
    /// reads back equal even when a driver's conversion adds floating-point noise.
    public var unixMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    public init(unixMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(unixMilliseconds) / 1000)
    }

    /// This instant at whole-millisecond precision.
    public var truncatedToMilliseconds: Date { Date(unixMilliseconds: unixMilliseconds) }
}

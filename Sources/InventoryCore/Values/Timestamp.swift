import Foundation

extension Date {
    /// Whole milliseconds since 1970: the precision every backend stores, so a time reads back equal.
    public var unixMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    public init(unixMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(unixMilliseconds) / 1000)
    }

    /// This instant cut to whole milliseconds.
    public var truncatedToMilliseconds: Date { Date(unixMilliseconds: unixMilliseconds) }
}

/// An exact amount of rupees, held as paise (12.50 is 1250).
public struct Money: Sendable, Hashable, Comparable {
    /// The amount in paise.
    public let paise: Int64

    public init(paise: Int64) {
        self.paise = paise
    }

    /// Parses non-negative decimal text such as "12" or "12.50", refusing anything inexact
    /// or beyond `Limits.moneyUnitsMax`; `field` names the input in the error.
    public init(parsing text: String, field: String) throws(InventoryError) {
        let value = try FixedPoint.parseField(
            text, field: field, fractionDigits: Limits.moneyFractionDigitsMax, unitsMax: Limits.moneyUnitsMax,
            example: "\"12\" or \"12.50\"")
        guard value >= 0 else { throw .invalidField(name: field, reason: "must not be negative") }
        paise = value
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.paise < rhs.paise }
}

extension Money: CustomStringConvertible {
    /// Always two fractional digits: "12.50".
    public var description: String {
        FixedPoint.format(paise, fractionDigits: Limits.moneyFractionDigitsMax, fractionDigitsMin: 2)
    }
}

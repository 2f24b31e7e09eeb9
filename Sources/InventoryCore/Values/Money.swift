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
        let value: Int64
        do {
            value = try FixedPoint.parse(
                text, fractionDigits: Limits.moneyFractionDigitsMax, unitsMax: Limits.moneyUnitsMax)
        } catch {
            let reason =
                switch error {
                case .notADecimal: "\"\(text.prefix(40))\" is not an amount; write it like \"12\" or \"12.50\""
                case .tooManyFractionDigits: "at most \(Limits.moneyFractionDigitsMax) digits may follow the point"
                case .tooLarge: "must not exceed \(Limits.moneyUnitsMax)"
                }
            throw .invalidField(name: field, reason: reason)
        }
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

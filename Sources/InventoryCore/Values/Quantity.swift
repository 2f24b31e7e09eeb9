/// An exact amount of stock, held as thousandths of the product's unit (1.250 kg is 1250).
public struct Quantity: Sendable, Hashable, Comparable {
    /// The amount in thousandths of a unit.
    public let thousandths: Int64

    public static let zero = Quantity(thousandths: 0)
    static let scale = FixedPoint.power(Limits.quantityFractionDigitsMax)

    public init(thousandths: Int64) {
        self.thousandths = thousandths
    }

    /// A whole number of units.
    public init(units: Int64) {
        self.thousandths = units * Self.scale
    }

    /// Parses decimal text such as "2", "-3" or "1.250", refusing anything inexact or beyond
    /// `Limits.quantityUnitsMax`; `field` names the input in the error.
    public init(parsing text: String, field: String = "quantity") throws(InventoryError) {
        thousandths = try FixedPoint.parseField(
            text, field: field, fractionDigits: Limits.quantityFractionDigitsMax, unitsMax: Limits.quantityUnitsMax,
            example: "\"2\" or \"1.250\"")
    }

    /// True when the amount has no fractional part (what `piece` and `pack` require).
    public var isWhole: Bool { thousandths % Self.scale == 0 }
    public var isNegative: Bool { thousandths < 0 }
    public var magnitude: Quantity { Quantity(thousandths: abs(thousandths)) }

    public static func + (lhs: Quantity, rhs: Quantity) -> Quantity {
        Quantity(thousandths: lhs.thousandths + rhs.thousandths)
    }

    public static func - (lhs: Quantity, rhs: Quantity) -> Quantity {
        Quantity(thousandths: lhs.thousandths - rhs.thousandths)
    }

    public static prefix func - (value: Quantity) -> Quantity {
        Quantity(thousandths: -value.thousandths)
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool {
        lhs.thousandths < rhs.thousandths
    }
}

extension Quantity: CustomStringConvertible {
    /// The shortest exact text: "2", "1.25", "-0.5".
    public var description: String {
        FixedPoint.format(thousandths, fractionDigits: Limits.quantityFractionDigitsMax, fractionDigitsMin: 0)
    }
}

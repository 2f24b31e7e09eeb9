/// Parses and prints exact decimals held as a whole number of smallest units (thousandths, paise).
///
/// Text is the only input form that keeps a decimal exact, so this is the one place where
/// "1.250" becomes 1250 thousandths; exponents, spaces and extra digits are refused, not rounded.
enum FixedPoint {
    enum ParseFailure: Error, Equatable {
        case notADecimal
        case tooManyFractionDigits
        case tooLarge
    }

    /// Parses `text`: an optional minus, digits with no leading zero (but "0" itself), an optional
    /// point and up to `fractionDigits` digits. "+5" and "007" are refused like any other form a
    /// decimal is not normally written in: they are typing slips or tampering more often than intent.
    static func parse(_ text: String, fractionDigits: Int, unitsMax: Int64) throws(ParseFailure) -> Int64 {
        var characters = Substring(text)
        let negative = characters.first == "-"
        if negative { characters = characters.dropFirst() }
        let parts = characters.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        let isDigits: (Substring) -> Bool = { $0.allSatisfy { $0.isASCII && $0.isNumber } }
        guard !whole.isEmpty, isDigits(whole), isDigits(fraction), parts.count == 1 || !fraction.isEmpty,
            whole == "0" || whole.first != "0"
        else {
            throw .notADecimal
        }
        guard fraction.count <= fractionDigits else { throw .tooManyFractionDigits }
        let significantWhole = whole.drop { $0 == "0" }
        guard significantWhole.count <= 18, let units = Int64(significantWhole.isEmpty ? "0" : significantWhole),
            units <= unitsMax
        else { throw .tooLarge }
        let scale = power(fractionDigits)
        let paddedFraction = fraction + String(repeating: "0", count: fractionDigits - fraction.count)
        let small = paddedFraction.isEmpty ? 0 : Int64(paddedFraction)!
        let magnitude = units * scale + small
        guard magnitude <= unitsMax * scale else { throw .tooLarge }
        return negative ? -magnitude : magnitude
    }

    /// Prints `value` smallest units with trailing fractional zeros kept to `fractionDigitsMin`.
    static func format(_ value: Int64, fractionDigits: Int, fractionDigitsMin: Int) -> String {
        let scale = power(fractionDigits)
        let magnitude = value.magnitude
        let whole = magnitude / UInt64(scale)
        var fraction = String(magnitude % UInt64(scale))
        fraction = String(repeating: "0", count: fractionDigits - fraction.count) + fraction
        while fraction.count > fractionDigitsMin, fraction.last == "0" {
            fraction.removeLast()
        }
        let sign = value < 0 ? "-" : ""
        return fraction.isEmpty ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// Parses like `parse`, reporting a failure as `invalidField` on `field` with a sample of the
    /// expected form (such as "\"2\" or \"1.250\"").
    static func parseField(
        _ text: String, field: String, fractionDigits: Int, unitsMax: Int64, example: String
    ) throws(InventoryError) -> Int64 {
        do {
            return try parse(text, fractionDigits: fractionDigits, unitsMax: unitsMax)
        } catch {
            let reason =
                switch error {
                case .notADecimal: "\"\(text.prefix(40))\" is not a decimal number; write it like \(example)"
                case .tooManyFractionDigits: "at most \(fractionDigits) digits may follow the decimal point"
                case .tooLarge: "must not exceed \(unitsMax) in size"
                }
            throw .invalidField(name: field, reason: reason)
        }
    }

    static func power(_ digits: Int) -> Int64 {
        (0..<digits).reduce(1) { result, _ in result * 10 }
    }
}

/// A stock-keeping unit code: trimmed, upper-cased, letters, digits, `-`, `_` and `.` only,
/// so "rice-5kg " and "RICE-5KG" are the same product.
public struct SKU: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    public init(_ text: String) throws(InventoryError) {
        value = try Self.code(text, field: "sku", lengthMax: Limits.skuLengthMax)
    }

    /// Validates a code (a SKU, a store code): trimmed, upper-cased, letters, digits, `-`, `_`, `.`.
    ///
    /// The characters are checked before upper-casing: Unicode upper-casing turns some letters
    /// into others ("ß" into "SS", "ﬁ" into "FI"), which would make a different code collide with
    /// an existing one.
    public static func code(_ text: String, field: String, lengthMax: Int) throws(InventoryError) -> String {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .invalidField(name: field, reason: "must not be empty") }
        guard trimmed.unicodeScalars.count <= lengthMax else {
            throw .invalidField(name: field, reason: "must be at most \(lengthMax) characters")
        }
        guard trimmed.unicodeScalars.allSatisfy({ isAllowed($0) || ("a"..."z").contains($0) }) else {
            throw .invalidField(name: field, reason: "may hold only letters A-Z, digits, '-', '_' and '.'")
        }
        return trimmed.uppercased()
    }

    public var description: String { value }

    public static func < (lhs: SKU, rhs: SKU) -> Bool { lhs.value < rhs.value }

    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "0"..."9", "-", "_", ".": true
        default: false
        }
    }
}

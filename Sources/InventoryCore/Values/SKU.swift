/// A stock-keeping unit code: trimmed, upper-cased, letters, digits, `-`, `_` and `.` only,
/// so "rice-5kg " and "RICE-5KG" are the same product.
public struct SKU: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    public init(_ text: String) throws(InventoryError) {
        let trimmed = text.trimmingWhitespace().uppercased()
        guard !trimmed.isEmpty else { throw .invalidField(name: "sku", reason: "must not be empty") }
        guard trimmed.count <= Limits.skuLengthMax else {
            throw .invalidField(name: "sku", reason: "must be at most \(Limits.skuLengthMax) characters")
        }
        guard trimmed.unicodeScalars.allSatisfy(Self.isAllowed) else {
            throw .invalidField(name: "sku", reason: "may hold only letters A-Z, digits, '-', '_' and '.'")
        }
        value = trimmed
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

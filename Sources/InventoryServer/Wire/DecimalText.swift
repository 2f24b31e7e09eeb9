import InventoryCore

/// A decimal as it arrives on the wire: a JSON string ("1.250") or a JSON integer (2).
///
/// JSON numbers with a fraction are refused: a decoder reads them as binary floating point and
/// "0.1" would no longer be exact. Parsing into `Quantity` or `Money` happens later, where the
/// field name is known.
struct DecimalText: Decodable, Sendable, Hashable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.text = text
        } else if let integer = try? container.decode(Int64.self) {
            self.text = String(integer)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "must be a decimal string such as \"1.250\" or a whole number")
        }
    }

    func quantity(field: String) throws(InventoryError) -> Quantity {
        try Quantity(parsing: text, field: field)
    }

    func money(field: String) throws(InventoryError) -> Money {
        try Money(parsing: text, field: field)
    }
}

extension KeyedDecodingContainer {
    /// Like `decodeIfPresent`, but an explicit `null` is refused: the field cannot be cleared.
    func decodeUnlessNull<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath + [key], debugDescription: "null"))
        }
        return try decode(T.self, forKey: key)
    }

    /// Tells an absent key (nil: leave as is) from an explicit `null` (`.some(nil)`: clear it).
    func decodeNullable<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T?? {
        guard contains(key) else { return nil }
        return .some(try decodeNil(forKey: key) ? nil : decode(T.self, forKey: key))
    }
}

extension String {
    /// The string without leading and trailing white space (Foundation-free, for the core).
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}

/// Validation of free text fields shared by every entity: trimmed, bounded, no control characters.
public enum TextRule {
    /// Returns the trimmed `text`, or throws when it is empty, too long or holds control characters.
    public static func required(_ text: String, field: String, lengthMax: Int) throws(InventoryError) -> String {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .invalidField(name: field, reason: "must not be empty") }
        guard trimmed.count <= lengthMax else {
            throw .invalidField(name: field, reason: "must be at most \(lengthMax) characters")
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidField(name: field, reason: "must not contain control characters")
        }
        return trimmed
    }

    /// Like `required`, but nil or blank text gives nil.
    public static func optional(_ text: String?, field: String, lengthMax: Int) throws(InventoryError) -> String? {
        guard let text, !text.trimmingWhitespace().isEmpty else { return nil }
        return try required(text, field: field, lengthMax: lengthMax)
    }
}

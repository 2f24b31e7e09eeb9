import Foundation
import InventoryCore

/// The JSON conventions of the API: snake_case keys, ISO 8601 UTC times with milliseconds.
public enum WireCoding {
    static let timeWithFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    static let timeWithoutFraction = Date.ISO8601FormatStyle()

    /// Wire types spell their snake_case keys themselves, so errors can name fields as sent.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// "2026-11-21T08:30:00.125Z".
    public static func formatTime(_ date: Date) -> String {
        timeWithFraction.format(date)
    }

    /// Parses an ISO 8601 instant with or without fractional seconds and an offset, or a bare
    /// date ("2026-11-21", meaning midnight UTC); `field` names the input in the error.
    public static func parseTime(_ text: String, field: String) throws(InventoryError) -> Date {
        let trimmed = text.trimmingWhitespace()
        if let date = try? timeWithFraction.parse(trimmed) { return date }
        if let date = try? timeWithoutFraction.parse(trimmed) { return date }
        if trimmed.count == 10, let date = try? timeWithoutFraction.parse(trimmed + "T00:00:00Z") { return date }
        throw .invalidField(name: field, reason: "must be an ISO 8601 time such as 2026-11-21T08:30:00Z")
    }
}

/// Wraps decoding failures with the path of the field, so errors read `movements[2].quantity`.
extension InventoryError {
    func prefixingField(_ prefix: String) -> InventoryError {
        guard case .invalidField(let name, let reason) = self else { return self }
        return .invalidField(name: "\(prefix).\(name)", reason: reason)
    }
}

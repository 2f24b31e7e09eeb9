import Foundation

// Movements are most of what the audit log records, up to 500 at a time, and JSONEncoder (with its
// snake_case conversion of every key) took a third of the server's CPU on batch uploads. They are
// written here directly, to the very text AuditSnapshot.json's encoder gives (a test compares the two).
extension AuditSnapshot {
    static func json(_ movements: [Movement]) -> String {
        var text = "["
        for (index, movement) in movements.enumerated() {
            if index > 0 { text += "," }
            append(movement, to: &text)
        }
        return text + "]"
    }

    /// One movement as an object with snake_case keys in sorted order; absent values are left out.
    static func append(_ movement: Movement, to text: inout String) {
        var fields = JSONObjectWriter(text: text)
        fields.string("balance_after", movement.balanceAfter.description)
        fields.string("delta", movement.delta.description)
        fields.number("id", movement.id)
        fields.string("idempotency_key", movement.idempotencyKey)
        fields.string("kind", movement.kind.rawValue)
        fields.string("note", movement.note)
        fields.string("occurred_at", timestamp(movement.occurredAt))
        fields.number("product_id", movement.productID)
        fields.string("reason", movement.reason)
        fields.string("recorded_at", timestamp(movement.recordedAt))
        fields.key("recorded_by")
        var identity = JSONObjectWriter(text: fields.text)
        identity.number("id", movement.recordedBy.id)
        identity.string("kind", movement.recordedBy.kind.rawValue)
        identity.string("name", movement.recordedBy.name)
        fields.text = identity.finish()
        fields.string("sku", movement.sku.value)
        fields.number("store_id", movement.storeID)
        fields.number("supplier_id", movement.supplierID)
        fields.number("transfer_id", movement.transferID)
        fields.string("unit_cost", movement.unitCost?.description)
        fields.string("unit_price", movement.unitPrice?.description)
        text = fields.finish()
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// Writes one JSON object's members in the order given, escaping strings as JSONEncoder does
/// with `.withoutEscapingSlashes`.
private struct JSONObjectWriter {
    var text: String
    private var first = true

    init(text: String) {
        self.text = text + "{"
    }

    mutating func key(_ key: String) {
        text += first ? "\"" : ",\""
        first = false
        text += key
        text += "\":"
    }

    mutating func string(_ key: String, _ value: String?) {
        guard let value else { return }
        self.key(key)
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    mutating func number(_ key: String, _ value: Int64?) {
        guard let value else { return }
        self.key(key)
        text += String(value)
    }

    func finish() -> String { text + "}" }
}

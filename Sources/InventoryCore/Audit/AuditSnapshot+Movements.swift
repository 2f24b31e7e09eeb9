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

    /// One movement as an object, as `json(_: [Movement])` writes each.
    static func json(_ movement: Movement) -> String {
        var text = ""
        append(movement, to: &text)
        return text
    }

    /// A `stock.changed` payload: a (store, product)'s on-hand after `movement`, its last movement.
    static func stockChanged(_ movement: Movement) -> String {
        var text = ""
        var fields = JSONObjectWriter(opening: &text)
        fields.number("last_movement_id", movement.id, to: &text)
        fields.string("on_hand", movement.balanceAfter.description, to: &text)
        fields.number("product_id", movement.productID, to: &text)
        fields.string("sku", movement.sku.value, to: &text)
        fields.number("store_id", movement.storeID, to: &text)
        fields.string("updated_at", timestamp(movement.recordedAt), to: &text)
        return text + "}"
    }

    /// One movement as an object with snake_case keys in sorted order; absent values are left out.
    static func append(_ movement: Movement, to text: inout String) {
        var fields = JSONObjectWriter(opening: &text)
        fields.string("balance_after", movement.balanceAfter.description, to: &text)
        fields.string("delta", movement.delta.description, to: &text)
        fields.number("id", movement.id, to: &text)
        fields.string("idempotency_key", movement.idempotencyKey, to: &text)
        fields.string("kind", movement.kind.rawValue, to: &text)
        fields.string("note", movement.note, to: &text)
        fields.string("occurred_at", timestamp(movement.occurredAt), to: &text)
        fields.number("product_id", movement.productID, to: &text)
        fields.string("reason", movement.reason, to: &text)
        fields.string("recorded_at", timestamp(movement.recordedAt), to: &text)
        fields.key("recorded_by", to: &text)
        var identity = JSONObjectWriter(opening: &text)
        identity.number("id", movement.recordedBy.id, to: &text)
        identity.string("kind", movement.recordedBy.kind.rawValue, to: &text)
        identity.string("name", movement.recordedBy.name, to: &text)
        text += "}"
        fields.string("sku", movement.sku.value, to: &text)
        fields.number("store_id", movement.storeID, to: &text)
        fields.number("supplier_id", movement.supplierID, to: &text)
        fields.number("transfer_id", movement.transferID, to: &text)
        fields.string("unit_cost", movement.unitCost?.description, to: &text)
        fields.string("unit_price", movement.unitPrice?.description, to: &text)
        text += "}"
    }

    /// Snapshot times: ISO 8601 with milliseconds.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// Appends one JSON object's members, in the order given, to a text being built; strings are
/// escaped as JSONEncoder escapes them with `.withoutEscapingSlashes`. The caller closes the object.
private struct JSONObjectWriter {
    private var first = true

    init(opening text: inout String) {
        text += "{"
    }

    mutating func key(_ key: String, to text: inout String) {
        text += first ? "\"" : ",\""
        first = false
        text += key
        text += "\":"
    }

    mutating func string(_ key: String, _ value: String?, to text: inout String) {
        guard let value else { return }
        self.key(key, to: &text)
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

    mutating func number(_ key: String, _ value: Int64?, to text: inout String) {
        guard let value else { return }
        self.key(key, to: &text)
        text += String(value)
    }
}

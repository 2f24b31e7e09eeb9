import InventoryCore

/// Hand edits of an audit log of five entries (ids 1–5, one chain), written the same way for both
/// backends, and where `audit verify` must say the chain breaks.
public enum AuditTampering: String, CaseIterable, Sendable, CustomStringConvertible {
    case edited
    case deleted
    case inserted

    public var description: String { rawValue }

    public var sql: String {
        switch self {
        case .edited:
            "UPDATE audit_log SET actor_name = 'mallory' WHERE id = 2"
        case .deleted:
            "DELETE FROM audit_log WHERE id = 3"
        case .inserted:
            // A copy of entry 2 slipped in at sequence 3, as if it had happened then.
            """
            INSERT INTO audit_log (chain, sequence, recorded_at, actor_kind, actor_id, actor_name, role, action,
                entity_type, entity_id, before, after, request_id, client_address, previous_hash, hash)
            SELECT chain, 3, recorded_at, actor_kind, actor_id, 'mallory', role, action, entity_type, entity_id,
                before, after, request_id, client_address, previous_hash, hash
            FROM audit_log WHERE id = 2
            """
        }
    }

    /// The entry `verify` must name.
    public var brokenEntry: Int64 {
        switch self {
        case .edited: 2
        case .deleted: 4
        case .inserted: 6
        }
    }

    public var problem: AuditBreak.Problem {
        switch self {
        case .edited: .altered
        case .deleted: .missingBefore
        case .inserted: .outOfOrder
        }
    }
}

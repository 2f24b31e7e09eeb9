import Crypto
import Foundation
import GRDB
import InventoryCore

extension SQLiteInventoryStorage {
    /// Appends `record` to its audit chain inside the caller's write transaction, so the entry and
    /// the change it describes are stored together or not at all.
    static func appendAudit(_ db: Database, _ record: AuditRecord, _ context: ChangeContext, now: Date = Date()) throws {
        let recordedAt = now.truncatedToMilliseconds
        let head = try Row.fetchOne(
            db, sql: "SELECT sequence, hash FROM audit_chains WHERE chain = ?", arguments: [record.chain])
        let sequence = (head?["sequence"] as Int64? ?? 0) + 1
        let previousHash = head?["hash"] as String? ?? AuditChain.genesisHash
        let hash = sha256Hex(
            AuditChain.text(
                chain: record.chain, sequence: sequence, recordedAt: recordedAt, context: context, record: record,
                previousHash: previousHash))
        try db.execute(
            sql: """
                INSERT INTO audit_log (chain, sequence, recorded_at, actor_kind, actor_id, actor_name, role, action,
                    entity_type, entity_id, before, after, request_id, client_address, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                record.chain, sequence, recordedAt.unixMilliseconds, context.actor.kind.rawValue, context.actor.id,
                context.actor.name, context.role?.rawValue, record.action, record.entityType, record.entityID,
                record.before, record.after, context.requestID, context.clientAddress, previousHash, hash,
            ])
        try db.execute(
            sql: """
                INSERT INTO audit_chains (chain, sequence, hash) VALUES (?, ?, ?)
                ON CONFLICT (chain) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash
                """,
            arguments: [record.chain, sequence, hash])
    }

    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).hexadecimal
    }

    public func auditEntries(_ query: AuditQuery) async throws -> Page<AuditEntry> {
        try await read { db in
            var conditions = ["id < ?"]
            var arguments: StatementArguments = [query.page.after ?? Int64.max]
            let filters: [(String, (any DatabaseValueConvertible)?)] = [
                ("actor_name = ?", query.actor), ("action = ?", query.action), ("entity_type = ?", query.entityType),
                ("entity_id = ?", query.entityID), ("recorded_at >= ?", query.from?.unixMilliseconds),
                ("recorded_at < ?", query.to?.unixMilliseconds),
            ]
            for case (let condition, let value?) in filters {
                conditions.append(condition)
                arguments += [value]
            }
            arguments += [query.page.limit + 1]
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM audit_log WHERE \(conditions.joined(separator: " AND ")) ORDER BY id DESC LIMIT ?",
                arguments: arguments)
            return Page(fetched: rows.map(Self.auditEntry), request: query.page, sortKey: \.id)
        }
    }

    public func verifyAuditLog() async throws -> AuditVerification {
        try await unboundedRead { db in
            var verifier = AuditVerifier(hash: Self.sha256Hex)
            var last: [Int64: Int64] = [:]
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM audit_log ORDER BY chain, sequence, id")
            while let row = try cursor.next() {
                let entry = Self.auditEntry(row)
                verifier.check(entry)
                last[entry.chain] = entry.sequence
            }
            for head in try Row.fetchAll(db, sql: "SELECT chain, sequence FROM audit_chains ORDER BY chain") {
                verifier.checkHead(chain: head["chain"], sequence: head["sequence"], lastSequence: last[head["chain"]])
            }
            return verifier.verification
        }
    }

    static func auditEntry(_ row: Row) -> AuditEntry {
        let context = ChangeContext(
            actor: Identity(
                kind: Identity.Kind(rawValue: row["actor_kind"]) ?? .anonymous, id: row["actor_id"],
                name: row["actor_name"]),
            role: (row["role"] as String?).flatMap(Role.init(rawValue:)),
            requestID: row["request_id"], clientAddress: row["client_address"])
        let record = AuditRecord(
            action: row["action"], entityType: row["entity_type"], entityID: row["entity_id"], before: row["before"],
            after: row["after"], chain: row["chain"])
        return AuditEntry(
            id: row["id"], chain: row["chain"], sequence: row["sequence"],
            recordedAt: Date(unixMilliseconds: row["recorded_at"]), context: context, record: record,
            previousHash: row["previous_hash"], hash: row["hash"])
    }
}

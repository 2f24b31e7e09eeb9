import Foundation
import GRDB
import InventoryCore
import InventoryDigest

extension SQLiteInventoryStorage {
    /// Appends `record` to its audit chain inside the caller's write transaction, so the entry and
    /// the change it describes are stored together or not at all.
    static func appendAudit(_ db: Database, _ record: AuditRecord, _ context: ChangeContext, now: Date) throws {
        let recordedAt = now.truncatedToMilliseconds
        let head = try Row.fetchOne(
            db, literal: "SELECT sequence, hash FROM audit_chains WHERE chain = \(record.chain)")
        let sequence = (head?["sequence"] as Int64? ?? 0) + 1
        let previousHash = head?["hash"] as String? ?? AuditChain.genesisHash
        let hash = Digest.sha256Hex(
            AuditChain.text(
                chain: record.chain, sequence: sequence, recordedAt: recordedAt, context: context, record: record,
                previousHash: previousHash))
        try db.execute(
            literal: """
                INSERT INTO audit_log (chain, sequence, recorded_at, actor_kind, actor_id, actor_name, role, action,
                    entity_type, entity_id, before, after, request_id, client_address, previous_hash, hash)
                VALUES (\(record.chain), \(sequence), \(recordedAt.unixMilliseconds), \(context.actor.kind.rawValue),
                    \(context.actor.id), \(context.actor.name), \(context.role?.rawValue), \(record.action),
                    \(record.entityType), \(record.entityID), \(record.before), \(record.after), \(context.requestID),
                    \(context.clientAddress), \(previousHash), \(hash))
                """)
        try db.execute(
            literal: """
                INSERT INTO audit_chains (chain, sequence, hash) VALUES (\(record.chain), \(sequence), \(hash))
                ON CONFLICT (chain) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash
                """)
        for event in record.events { try insert(db, event, recordedAt: recordedAt) }
    }

    /// Appends `event` to the event log inside the caller's write transaction.
    static func insert(_ db: Database, _ event: EventRecord, recordedAt: Date) throws {
        try db.execute(
            literal: """
                INSERT INTO events (type, store_id, audience, recorded_at, payload)
                VALUES (\(event.type.rawValue), \(event.storeID), \(event.audience.rawValue),
                    \(recordedAt.unixMilliseconds), \(event.payload))
                """)
    }

    public func auditEntries(_ query: AuditQuery) async throws -> Page<AuditEntry> {
        try await read { db in
            var conditions = SQLiteConditions("id < \(query.page.after ?? Int64.max)")
            conditions.equal("actor_name", query.actor)
            conditions.equal("action", query.action)
            conditions.equal("entity_type", query.entityType)
            conditions.equal("entity_id", query.entityID)
            conditions.between("recorded_at", from: query.from, to: query.to)
            let rows = try Row.fetchAll(
                db,
                literal:
                    "SELECT * FROM audit_log WHERE \(conditions.sql) ORDER BY id DESC LIMIT \(query.page.limit + 1)")
            return Page(fetched: rows.map(Self.auditEntry), request: query.page, sortKey: \.id)
        }
    }

    public func verifyAuditLog() async throws -> AuditVerification {
        try await unboundedRead { db in
            var verifier = AuditVerifier(hash: Digest.sha256Hex)
            var last: [Int64: Int64] = [:]
            let cursor = try Row.fetchCursor(db, literal: "SELECT * FROM audit_log ORDER BY chain, sequence, id")
            while let row = try cursor.next() {
                let entry = Self.auditEntry(row)
                verifier.check(entry)
                last[entry.chain] = entry.sequence
            }
            for head in try Row.fetchAll(db, literal: "SELECT chain, sequence FROM audit_chains ORDER BY chain") {
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

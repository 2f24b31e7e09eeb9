import Foundation
import InventoryCore
import InventoryDigest
import PostgresNIO

extension PostgresInventoryStorage {
    /// Appends `record` to its audit chain inside the caller's transaction. The chain's head row is
    /// locked until the transaction ends, so entries of one chain get consecutive sequences; changes
    /// at different stores use different chains and do not queue behind each other.
    func appendAudit(
        _ connection: GuardedConnection, _ record: AuditRecord, _ context: ChangeContext, now: Date
    ) async throws {
        let recordedAt = now.truncatedToMilliseconds
        let head = try await connection.query(
            """
            INSERT INTO audit_chains (chain, sequence, hash) VALUES (\(record.chain), 0, \(AuditChain.genesisHash))
            ON CONFLICT (chain) DO UPDATE SET chain = EXCLUDED.chain
            RETURNING sequence, hash
            """, logger: logger
        ).collectRows { row in (try row["sequence"].decode(Int64.self), try row["hash"].decode(String.self)) }[0]
        let sequence = head.0 + 1
        let hash = Digest.sha256Hex(
            AuditChain.text(
                chain: record.chain, sequence: sequence, recordedAt: recordedAt, context: context, record: record,
                previousHash: head.1))
        let statement: QueryFragment = """
            WITH head AS (
                UPDATE audit_chains SET sequence = \(sequence), hash = \(hash) WHERE chain = \(record.chain)
            )\(Self.publishing(record.events, recordedAt: recordedAt))
            INSERT INTO audit_log (chain, sequence, recorded_at, actor_kind, actor_id, actor_name, role, action,
                entity_type, entity_id, before, after, request_id, client_address, previous_hash, hash)
            VALUES (\(record.chain), \(sequence), \(recordedAt), \(context.actor.kind.rawValue), \(context.actor.id),
                \(context.actor.name), \(context.role?.rawValue), \(record.action), \(record.entityType),
                \(record.entityID), \(record.before), \(record.after), \(context.requestID), \(context.clientAddress),
                \(head.1), \(hash))
            """
        try await connection.query(statement.query, logger: logger)
    }

    /// A common table expression that appends `events` to the event log, or nothing when there
    /// are none.
    static func publishing(_ events: [EventRecord], recordedAt: Date) -> QueryFragment {
        events.isEmpty ? "" : ", published AS (\(inserting(events, recordedAt: recordedAt)))"
    }

    /// The statement that appends `events` to the event log, in order, in one round trip.
    static func inserting(_ events: [EventRecord], recordedAt: Date) -> QueryFragment {
        """
        INSERT INTO events (type, store_id, audience, recorded_at, payload)
        SELECT e.type, NULLIF(e.store_id, -1), e.audience, \(recordedAt), e.payload
        FROM unnest(\(events.map(\.type.rawValue))::TEXT[], \(events.map { $0.storeID ?? -1 })::INT8[],
            \(events.map(\.audience.rawValue))::TEXT[], \(events.map(\.payload))::TEXT[])
            WITH ORDINALITY AS e (type, store_id, audience, payload, n)
        ORDER BY e.n
        """
    }

    /// Locks `chain`'s head until the transaction ends, creating it when new. Writers lock a store's
    /// chain before its stock rows, as the one-statement path of `recordMovements` does, so the two
    /// cannot deadlock.
    func lockAuditChain(_ connection: GuardedConnection, chain: Int64) async throws {
        try await connection.query(
            """
            INSERT INTO audit_chains (chain, sequence, hash) VALUES (\(chain), 0, \(AuditChain.genesisHash))
            ON CONFLICT (chain) DO UPDATE SET chain = EXCLUDED.chain
            """, logger: logger)
    }

    public func auditEntries(_ query: AuditQuery) async throws -> Page<AuditEntry> {
        try await access { connection in
            var conditions = PostgresConditions("id < \(query.page.after ?? Int64.max)")
            conditions.equal("actor_name", query.actor)
            conditions.equal("action", query.action)
            conditions.equal("entity_type", query.entityType)
            conditions.equal("entity_id", query.entityID)
            conditions.between("recorded_at", from: query.from, to: query.to)
            let statement: QueryFragment =
                "SELECT * FROM audit_log \(conditions.whereClause) ORDER BY id DESC LIMIT \(query.page.limit + 1)"
            let rows = try await connection.query(statement.query, logger: self.logger).collectRows(Self.auditEntry)
            return Page(fetched: rows, request: query.page, sortKey: \.id)
        }
    }

    public func verifyAuditLog() async throws -> AuditVerification {
        try await unboundedAccess { connection in
            var verifier = AuditVerifier(hash: Digest.sha256Hex)
            var last: [Int64: Int64] = [:]
            let rows = try await connection.query(
                "SELECT * FROM audit_log ORDER BY chain, sequence, id", logger: self.logger)
            for try await row in rows {
                let entry = try Self.auditEntry(row.makeRandomAccess())
                verifier.check(entry)
                last[entry.chain] = entry.sequence
            }
            let heads = try await connection.query(
                "SELECT chain, sequence FROM audit_chains ORDER BY chain", logger: self.logger
            ).collectRows { row in (try row["chain"].decode(Int64.self), try row["sequence"].decode(Int64.self)) }
            for (chain, sequence) in heads {
                verifier.checkHead(chain: chain, sequence: sequence, lastSequence: last[chain])
            }
            return verifier.verification
        }
    }

    static func auditEntry(_ row: PostgresRandomAccessRow) throws -> AuditEntry {
        let context = ChangeContext(
            actor: Identity(
                kind: Identity.Kind(rawValue: try row["actor_kind"].decode(String.self)) ?? .anonymous,
                id: try row["actor_id"].decode(Int64?.self), name: try row["actor_name"].decode(String.self)),
            role: try row["role"].decode(String?.self).flatMap(Role.init(rawValue:)),
            requestID: try row["request_id"].decode(String?.self),
            clientAddress: try row["client_address"].decode(String?.self))
        let chain = try row["chain"].decode(Int64.self)
        let record = AuditRecord(
            action: try row["action"].decode(String.self), entityType: try row["entity_type"].decode(String.self),
            entityID: try row["entity_id"].decode(String.self), before: try row["before"].decode(String?.self),
            after: try row["after"].decode(String?.self), chain: chain)
        return AuditEntry(
            id: try row["id"].decode(Int64.self), chain: chain, sequence: try row["sequence"].decode(Int64.self),
            recordedAt: try timestamp(row["recorded_at"]), context: context, record: record,
            previousHash: try row["previous_hash"].decode(String.self), hash: try row["hash"].decode(String.self))
    }
}

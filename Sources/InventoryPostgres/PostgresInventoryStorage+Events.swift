import Foundation
import InventoryCore
import PostgresNIO

extension PostgresInventoryStorage {
    /// Reads below the oldest transaction still running (`pg_snapshot_xmin`): every event there has
    /// committed or never will, and no later commit can add one, so a cursor never passes an event
    /// that commits late. One statement, one snapshot: the page and the head it reached agree.
    public func events(_ query: EventQuery) async throws -> EventBatch {
        try await access { connection in
            var conditions = PostgresConditions(
                "(e.xid, e.id) > (\(String(query.after.transaction))::xid8, \(query.after.id)) AND e.xid < bound.xmin")
            if !query.types.isEmpty { conditions.append("e.type = ANY(\(query.types.map(\.rawValue).sorted()))") }
            if let storeID = query.storeID { conditions.append("e.store_id = \(storeID)") }
            if case .stores(let ids) = query.scope {
                conditions.append("(e.store_id IS NULL OR e.store_id = ANY(\(ids.sorted())))")
            }
            if !query.administrator { conditions.append("e.audience = 'readers'") }
            let statement: QueryFragment = """
                SELECT e.id, e.xid::TEXT AS xid, e.type, e.store_id, e.audience, e.recorded_at, e.payload,
                    head.xid::TEXT AS head_xid, head.id AS head_id, state.pruned_xid::TEXT AS pruned_xid,
                    state.pruned_id
                FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) AS bound
                CROSS JOIN event_log_state AS state
                LEFT JOIN LATERAL (
                    SELECT xid, id FROM events WHERE xid < bound.xmin ORDER BY xid DESC, id DESC LIMIT 1
                ) AS head ON true
                LEFT JOIN LATERAL (
                    SELECT e.* FROM events AS e \(conditions.whereClause) ORDER BY e.xid, e.id LIMIT \(query.limit)
                ) AS e ON true
                ORDER BY e.xid, e.id
                """
            let rows = try await connection.query(statement.query, logger: self.logger).collectRows { random in
                return (
                    event: try Self.event(random),
                    head: try Self.position(random["head_xid"], random["head_id"]),
                    pruned: try Self.position(random["pruned_xid"], random["pruned_id"]) ?? .start
                )
            }
            guard let first = rows.first else { return EventBatch(events: [], reachedPosition: query.after) }
            if query.after != .start && query.after < first.pruned {
                throw InventoryError.eventsPruned(prunedThrough: first.pruned)
            }
            let events = rows.compactMap(\.event)
            let reached: EventPosition =
                events.count == query.limit ? events.last!.position : max(query.after, first.head ?? query.after)
            return EventBatch(events: events, reachedPosition: reached)
        }
    }

    public func latestEventPosition() async throws -> EventPosition {
        try await access { connection in
            let rows = try await connection.query(
                """
                SELECT xid::TEXT AS xid, id FROM events WHERE xid < pg_snapshot_xmin(pg_current_snapshot())
                ORDER BY xid DESC, id DESC LIMIT 1
                """, logger: self.logger
            ).collectRows { row in try Self.position(row["xid"], row["id"]) }
            return rows.first.flatMap { $0 } ?? .start
        }
    }

    /// Finished webhook deliveries (delivered or dead) go with the events of their time.
    public func pruneEvents(recordedBefore cutoff: Date) async throws -> Int {
        try await transaction { connection in
            try await connection.query(
                "DELETE FROM webhook_deliveries WHERE state <> 'pending' AND created_at < \(cutoff)",
                logger: self.logger)
            let rows = try await connection.query(
                """
                WITH gone AS (DELETE FROM events WHERE recorded_at < \(cutoff) RETURNING xid, id),
                last AS (SELECT xid, id FROM gone ORDER BY xid DESC, id DESC LIMIT 1)
                UPDATE event_log_state SET pruned_xid = last.xid, pruned_id = last.id
                FROM last WHERE (last.xid, last.id) > (event_log_state.pruned_xid, event_log_state.pruned_id)
                RETURNING (SELECT count(*) FROM gone)
                """, logger: self.logger
            ).collectRows { try $0[0].decode(Int64.self) }
            return Int(rows.first ?? 0)
        }
    }

    static func event(_ row: PostgresRandomAccessRow) throws -> Event? {
        guard let id = try row["id"].decode(Int64?.self) else { return nil }
        let type = try row["type"].decode(String.self)
        return Event(
            position: EventPosition(transaction: try transactionID(row["xid"].decode(String.self)), id: id),
            type: EventType(rawValue: type) ?? .movementRecorded, storeID: try row["store_id"].decode(Int64?.self),
            audience: EventAudience(rawValue: try row["audience"].decode(String.self)) ?? .administrators,
            recordedAt: try timestamp(row["recorded_at"]), payload: try row["payload"].decode(String.self))
    }

    private static func position(_ xid: PostgresCell, _ id: PostgresCell) throws -> EventPosition? {
        guard let xid = try xid.decode(String?.self), let id = try id.decode(Int64?.self) else { return nil }
        return EventPosition(transaction: try transactionID(xid), id: id)
    }

    private static func transactionID(_ text: String) throws -> Int64 {
        guard let value = Int64(text) else { throw InventoryError.storageUnavailable(reason: "bad transaction id") }
        return value
    }
}

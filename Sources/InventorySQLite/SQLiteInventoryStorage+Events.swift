import Foundation
import GRDB
import InventoryCore

extension SQLiteInventoryStorage {
    /// One writer at a time commits events in id order, so a reader never passes one that commits
    /// later. One read transaction: the page and the head it reached agree.
    public func events(_ query: EventQuery) async throws -> EventBatch {
        try await read { db in
            let prunedThrough = try Int64.fetchOne(db, literal: "SELECT pruned_id FROM event_log_state") ?? 0
            if query.after != .start && query.after.id < prunedThrough {
                throw InventoryError.eventsPruned(prunedThrough: EventPosition(transaction: 0, id: prunedThrough))
            }
            var conditions = SQLiteConditions("id > \(query.after.id)")
            if !query.types.isEmpty {
                conditions.append("type IN \(query.types.map(\.rawValue).sorted())")
            }
            if let storeID = query.storeID { conditions.append("store_id = \(storeID)") }
            if case .stores(let ids) = query.scope {
                conditions.append("(store_id IS NULL OR store_id IN \(ids.sorted()))")
            }
            if !query.administrator { conditions.append("audience = 'readers'") }
            let events = try Row.fetchAll(
                db, literal: "SELECT * FROM events WHERE \(conditions.sql) ORDER BY id LIMIT \(query.limit)"
            ).map(Self.event)
            if events.count == query.limit { return EventBatch(events: events, reachedPosition: events.last!.position) }
            return EventBatch(events: events, reachedPosition: max(query.after, try Self.head(db)))
        }
    }

    public func latestEventPosition() async throws -> EventPosition {
        try await read(Self.head)
    }

    /// The newest event's position (`EventPosition.start` when there is none).
    static func head(_ db: Database) throws -> EventPosition {
        EventPosition(transaction: 0, id: try Int64.fetchOne(db, literal: "SELECT max(id) FROM events") ?? 0)
    }

    /// Finished webhook deliveries (delivered or dead) go with the events of their time.
    public func pruneEvents(recordedBefore cutoff: Date) async throws -> Int {
        try await write { db, _ in
            try db.execute(
                literal: """
                    DELETE FROM webhook_deliveries WHERE state <> 'pending' AND created_at < \(cutoff.unixMilliseconds)
                    """)
            let last = try Int64.fetchOne(
                db, literal: "SELECT max(id) FROM events WHERE recorded_at < \(cutoff.unixMilliseconds)")
            guard let last else { return 0 }
            try db.execute(literal: "DELETE FROM events WHERE recorded_at < \(cutoff.unixMilliseconds)")
            let count = db.changesCount
            try db.execute(literal: "UPDATE event_log_state SET pruned_id = max(pruned_id, \(last))")
            return count
        }
    }

    static func event(_ row: Row) -> Event {
        Event(
            position: EventPosition(transaction: 0, id: row["id"]),
            type: EventType(rawValue: row["type"]) ?? .movementRecorded, storeID: row["store_id"],
            audience: EventAudience(rawValue: row["audience"]) ?? .administrators,
            recordedAt: Date(unixMilliseconds: row["recorded_at"]), payload: row["payload"])
    }
}

import Foundation
import GRDB
import InventoryCore

extension SQLiteInventoryStorage {
    public func alerts(_ query: AlertQuery) async throws -> Page<Alert> {
        try await read { db in
            var conditions = SQLiteConditions("a.id < \(query.page.after ?? Int64.max)")
            conditions.stores("a.store_id", scope: query.scope, storeID: query.storeID, cityID: nil)
            conditions.equal("a.state", query.state?.rawValue)
            let rows = try Row.fetchAll(
                db,
                literal: """
                    SELECT a.*, p.sku FROM alerts a JOIN products p ON p.id = a.product_id WHERE \(conditions.sql)
                    ORDER BY a.id DESC LIMIT \(query.page.limit + 1)
                    """)
            return Page(fetched: rows.map(Self.alert), request: query.page, sortKey: \.id)
        }
    }

    public func alert(id: Int64) async throws -> Alert {
        try await read { db in
            guard let alert = try Self.alert(db, id: id) else { throw InventoryError.alertNotFound(id: id) }
            return alert
        }
    }

    public func acknowledgeAlert(id: Int64, by context: ChangeContext) async throws -> Alert {
        try await write { db, now in
            guard let alert = try Self.alert(db, id: id) else { throw InventoryError.alertNotFound(id: id) }
            guard alert.state == .open else { return alert }
            let actor = context.actor
            try db.execute(
                literal: """
                    UPDATE alerts SET state = 'acknowledged', acknowledged_at = \(now.unixMilliseconds),
                        acknowledged_by_kind = \(actor.kind.rawValue), acknowledged_by_id = \(actor.id),
                        acknowledged_by_name = \(actor.name)
                    WHERE id = \(id)
                    """)
            let acknowledged = try Self.alert(db, id: id)!
            try Self.appendAudit(db, .alertAcknowledged(before: alert, after: acknowledged), context, now: now)
            return acknowledged
        }
    }

    /// One pass of the consumer, in one write transaction (one writer at a time, so consumers in
    /// several processes take turns).
    public func processAlerts(limit: Int) async throws -> AlertProgress {
        try await write { db, now in
            let cursor = try Int64.fetchOne(db, literal: "SELECT id FROM event_consumers WHERE name = 'alerts'") ?? 0
            let rows = try Row.fetchAll(
                db,
                literal: """
                    SELECT id, store_id,
                        CASE type WHEN 'stock.changed' THEN json_extract(payload, '$.product_id')
                            WHEN 'reorder_level.set' THEN json_extract(payload, '$.product.id') END AS product_id
                    FROM events WHERE id > \(cursor) ORDER BY id LIMIT \(limit)
                    """)
            guard let last = rows.last?["id"] as Int64? else {
                return AlertProgress(eventsRead: 0, raised: 0, resolved: 0)
            }
            var keys: [StockKey] = []
            for row in rows {
                guard let storeID = row["store_id"] as Int64?, let productID = row["product_id"] as Int64? else {
                    continue
                }
                let key = StockKey(storeID: storeID, productID: productID)
                if !keys.contains(key) { keys.append(key) }
            }
            var changed: [Alert] = []
            for key in keys {
                let level = try Row.fetchOne(
                    db,
                    literal: """
                        SELECT on_hand, reorder_level FROM stock_levels
                        WHERE store_id = \(key.storeID) AND product_id = \(key.productID)
                        """)
                let onHand = Quantity(thousandths: level?["on_hand"] ?? 0)
                let reorderLevel = (level?["reorder_level"] as Int64?).map(Quantity.init(thousandths:))
                let unresolved = try Int64.fetchOne(
                    db,
                    literal: """
                        SELECT id FROM alerts
                        WHERE store_id = \(key.storeID) AND product_id = \(key.productID) AND state <> 'resolved'
                        """)
                switch AlertRule.decide(
                    onHand: onHand, reorderLevel: reorderLevel, hasUnresolvedAlert: unresolved != nil)
                {
                case .keep:
                    continue
                case .raise:
                    try db.execute(
                        literal: """
                            INSERT INTO alerts (store_id, product_id, state, reorder_level, on_hand, raised_at)
                            VALUES (\(key.storeID), \(key.productID), 'open', \(reorderLevel!.thousandths),
                                \(onHand.thousandths), \(now.unixMilliseconds))
                            """)
                    changed.append(try Self.alert(db, id: db.lastInsertedRowID)!)
                case .resolve:
                    try db.execute(
                        literal: """
                            UPDATE alerts SET state = 'resolved', resolved_at = \(now.unixMilliseconds)
                            WHERE id = \(unresolved!)
                            """)
                    changed.append(try Self.alert(db, id: unresolved!)!)
                }
            }
            for event in AuditRecord.alertEvents(changed) {
                try Self.insert(db, event, recordedAt: now)
            }
            try db.execute(literal: "UPDATE event_consumers SET id = \(last) WHERE name = 'alerts'")
            return AlertProgress(
                eventsRead: rows.count, raised: changed.filter { $0.state != .resolved }.count,
                resolved: changed.filter { $0.state == .resolved }.count)
        }
    }

    static func alert(_ db: Database, id: Int64) throws -> Alert? {
        try Row.fetchOne(
            db, literal: "SELECT a.*, p.sku FROM alerts a JOIN products p ON p.id = a.product_id WHERE a.id = \(id)"
        ).map(alert)
    }

    static func alert(_ row: Row) -> Alert {
        let acknowledgedBy = (row["acknowledged_by_kind"] as String?).map { kind in
            Identity(
                kind: Identity.Kind(rawValue: kind) ?? .anonymous, id: row["acknowledged_by_id"],
                name: row["acknowledged_by_name"] ?? "")
        }
        return Alert(
            id: row["id"], storeID: row["store_id"], productID: row["product_id"],
            // The write path only ever stores valid SKUs.
            sku: try! SKU(row["sku"] as String), state: AlertState(rawValue: row["state"]) ?? .open,
            reorderLevel: Quantity(thousandths: row["reorder_level"]), onHand: Quantity(thousandths: row["on_hand"]),
            raisedAt: Date(unixMilliseconds: row["raised_at"]),
            acknowledgedAt: (row["acknowledged_at"] as Int64?).map(Date.init(unixMilliseconds:)),
            acknowledgedBy: acknowledgedBy,
            resolvedAt: (row["resolved_at"] as Int64?).map(Date.init(unixMilliseconds:)))
    }
}

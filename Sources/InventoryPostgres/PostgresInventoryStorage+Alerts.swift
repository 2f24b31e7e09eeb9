import Foundation
import InventoryCore
import PostgresNIO

extension PostgresInventoryStorage {
    public func alerts(_ query: AlertQuery) async throws -> Page<Alert> {
        try await access { connection in
            var conditions = PostgresConditions("a.id < \(query.page.after ?? Int64.max)")
            conditions.stores("a.store_id", scope: query.scope, storeID: query.storeID, cityID: nil)
            conditions.equal("a.state", query.state?.rawValue)
            let statement: QueryFragment = """
                SELECT a.*, p.sku FROM alerts a JOIN products p ON p.id = a.product_id \(conditions.whereClause)
                ORDER BY a.id DESC LIMIT \(query.page.limit + 1)
                """
            let rows = try await connection.query(statement.query, logger: self.logger).collectRows(Self.alert)
            return Page(fetched: rows, request: query.page, sortKey: \.id)
        }
    }

    public func alert(id: Int64) async throws -> Alert {
        try await access { connection in
            guard let alert = try await Self.alert(connection, id: id, lock: false, logger: self.logger) else {
                throw InventoryError.alertNotFound(id: id)
            }
            return alert
        }
    }

    public func acknowledgeAlert(id: Int64, by context: ChangeContext) async throws -> Alert {
        try await transaction { connection in
            guard let alert = try await Self.alert(connection, id: id, lock: true, logger: self.logger) else {
                throw InventoryError.alertNotFound(id: id)
            }
            guard alert.state == .open else { return alert }
            let now = self.now
            let actor = context.actor
            try await connection.query(
                """
                UPDATE alerts SET state = 'acknowledged', acknowledged_at = \(now),
                    acknowledged_by_kind = \(actor.kind.rawValue), acknowledged_by_id = \(actor.id),
                    acknowledged_by_name = \(actor.name)
                WHERE id = \(id)
                """, logger: self.logger)
            let acknowledged = try await Self.alert(connection, id: id, lock: false, logger: self.logger)!
            try await self.appendAudit(
                connection, .alertAcknowledged(before: alert, after: acknowledged), context, now: now)
            return acknowledged
        }
    }

    /// One pass of the consumer: the cursor row is locked for the transaction, so consumers on other
    /// instances wait their turn and never raise the same alert twice.
    public func processAlerts(limit: Int) async throws -> AlertProgress {
        try await transaction { connection in
            let logger = self.logger
            let cursor = try await connection.query(
                "SELECT xid::TEXT AS xid, id FROM event_consumers WHERE name = 'alerts' FOR UPDATE", logger: logger
            ).collectRows { row in (try row["xid"].decode(String.self), try row["id"].decode(Int64.self)) }[0]
            // Below the oldest running transaction, as every reader of the log reads.
            let events = try await connection.query(
                """
                SELECT xid::TEXT AS xid, id, store_id,
                    CASE type WHEN 'stock.changed' THEN (payload::jsonb ->> 'product_id')::INT8
                        WHEN 'reorder_level.set' THEN (payload::jsonb -> 'product' ->> 'id')::INT8 END AS product_id
                FROM events
                WHERE (xid, id) > (\(cursor.0)::xid8, \(cursor.1)) AND xid < pg_snapshot_xmin(pg_current_snapshot())
                ORDER BY xid, id LIMIT \(limit)
                """, logger: logger
            ).collectRows { row in
                (
                    xid: try row["xid"].decode(String.self), id: try row["id"].decode(Int64.self),
                    key: try row["product_id"].decode(Int64?.self).flatMap { product in
                        try row["store_id"].decode(Int64?.self).map { StockKey(storeID: $0, productID: product) }
                    }
                )
            }
            guard let last = events.last else { return AlertProgress(eventsRead: 0, raised: 0, resolved: 0) }
            var keys: [StockKey] = []
            for key in events.compactMap(\.key) where !keys.contains(key) { keys.append(key) }
            let changed = try await self.applyAlertRule(connection, keys)
            if !changed.isEmpty {
                let statement = Self.inserting(AuditRecord.alertEvents(changed), recordedAt: self.now)
                try await connection.query(statement.query, logger: logger)
            }
            try await connection.query(
                "UPDATE event_consumers SET xid = \(last.xid)::xid8, id = \(last.id) WHERE name = 'alerts'",
                logger: logger)
            return AlertProgress(
                eventsRead: events.count, raised: changed.filter { $0.state != .resolved }.count,
                resolved: changed.filter { $0.state == .resolved }.count)
        }
    }

    /// Raises or resolves the alert of each (store, product) by its stock level now; answers the
    /// alerts it changed.
    private func applyAlertRule(_ connection: GuardedConnection, _ keys: [StockKey]) async throws -> [Alert] {
        guard !keys.isEmpty else { return [] }
        let now = self.now
        let states = try await connection.query(
            """
            SELECT k.store_id, k.product_id, COALESCE(l.on_hand, 0) AS on_hand, l.reorder_level, a.id AS alert_id
            FROM unnest(\(keys.map(\.storeID))::INT8[], \(keys.map(\.productID))::INT8[]) WITH ORDINALITY
                AS k (store_id, product_id, n)
            LEFT JOIN stock_levels l ON l.store_id = k.store_id AND l.product_id = k.product_id
            LEFT JOIN alerts a ON a.store_id = k.store_id AND a.product_id = k.product_id AND a.state <> 'resolved'
            ORDER BY k.n
            """, logger: logger
        ).collectRows { row in
            (
                key: StockKey(
                    storeID: try row["store_id"].decode(Int64.self), productID: try row["product_id"].decode(Int64.self)
                ),
                onHand: Quantity(thousandths: try row["on_hand"].decode(Int64.self)),
                level: try row["reorder_level"].decode(Int64?.self).map(Quantity.init(thousandths:)),
                alertID: try row["alert_id"].decode(Int64?.self)
            )
        }
        var changed: [Alert] = []
        for state in states {
            let decision = AlertRule.decide(
                onHand: state.onHand, reorderLevel: state.level, hasUnresolvedAlert: state.alertID != nil)
            let id: Int64
            switch decision {
            case .keep:
                continue
            case .raise:
                id = try await connection.query(
                    """
                    INSERT INTO alerts (store_id, product_id, state, reorder_level, on_hand, raised_at)
                    VALUES (\(state.key.storeID), \(state.key.productID), 'open', \(state.level!.thousandths),
                        \(state.onHand.thousandths), \(now))
                    RETURNING id
                    """, logger: logger
                ).collectRows { try $0["id"].decode(Int64.self) }[0]
            case .resolve:
                id = state.alertID!
                try await connection.query(
                    "UPDATE alerts SET state = 'resolved', resolved_at = \(now) WHERE id = \(id)", logger: logger)
            }
            changed.append(try await Self.alert(connection, id: id, lock: false, logger: logger)!)
        }
        return changed
    }

    static func alert(_ connection: GuardedConnection, id: Int64, lock: Bool, logger: Logger) async throws -> Alert? {
        let statement: QueryFragment = """
            SELECT a.*, p.sku FROM alerts a JOIN products p ON p.id = a.product_id WHERE a.id = \(id)
            \(unescaped: lock ? "FOR UPDATE OF a" : "")
            """
        return try await connection.query(statement.query, logger: logger).collectRows(alert).first
    }

    static func alert(_ row: PostgresRandomAccessRow) throws -> Alert {
        let acknowledgedBy = try row["acknowledged_by_kind"].decode(String?.self).map { kind in
            Identity(
                kind: Identity.Kind(rawValue: kind) ?? .anonymous,
                id: try row["acknowledged_by_id"].decode(Int64?.self),
                name: try row["acknowledged_by_name"].decode(String?.self) ?? "")
        }
        return Alert(
            id: try row["id"].decode(Int64.self), storeID: try row["store_id"].decode(Int64.self),
            productID: try row["product_id"].decode(Int64.self),
            // The write path only ever stores valid SKUs.
            sku: try! SKU(try row["sku"].decode(String.self)),
            state: AlertState(rawValue: try row["state"].decode(String.self)) ?? .open,
            reorderLevel: Quantity(thousandths: try row["reorder_level"].decode(Int64.self)),
            onHand: Quantity(thousandths: try row["on_hand"].decode(Int64.self)),
            raisedAt: try timestamp(row["raised_at"]),
            acknowledgedAt: try optionalTimestamp(row["acknowledged_at"]),
            acknowledgedBy: acknowledgedBy,
            resolvedAt: try optionalTimestamp(row["resolved_at"]))
    }
}

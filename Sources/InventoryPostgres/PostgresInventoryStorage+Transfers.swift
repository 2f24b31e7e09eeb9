import Foundation
import InventoryCore
import PostgresNIO

extension PostgresInventoryStorage {
    public func transferStock(_ request: TransferRequest, by context: ChangeContext) async throws -> RecordedTransfer {
        try await IdempotencyClaim.scoping(request.idempotency, to: context.actor) { claim in
            var request = request
            request.idempotency = claim
            return try await transferScoped(request, by: context)
        }
    }

    /// Transfers under an idempotency key already scoped to its caller.
    private func transferScoped(_ request: TransferRequest, by context: ChangeContext) async throws -> RecordedTransfer
    {
        try await transaction { connection in
            for storeID in [request.fromStoreID, request.toStoreID].sorted() {
                _ = try await Self.requireStore(connection, id: storeID, lock: .share, logger: self.logger)
            }
            let now = self.now
            if let claim = request.idempotency,
                try await self.isReplay(connection, claim, storeID: request.fromStoreID, now: now)
            {
                let ids = try await connection.query(
                    "SELECT id FROM transfers WHERE idempotency_key = \(claim.key)", logger: self.logger
                ).collectRows { try $0[0].decode(Int64.self) }
                // A key first used for a movement batch has no transfer: it was another request.
                guard let id = ids.first else { throw InventoryError.idempotencyKeyReused(key: claim.key) }
                return RecordedTransfer(
                    transfer: try await self.loadTransfers(connection, ids: [id])[0], replayed: true)
            }
            let products = try await Self.requireProducts(
                connection, request.lines.map(\.product), lock: .share, logger: self.logger)
            try await self.lockAuditChain(connection, chain: request.fromStoreID)
            // Both stores' rows, lower store id first, so crossing transfers cannot deadlock.
            let productIDs = Set(products.values.map(\.id))
            var onHand: [StockKey: Quantity] = [:]
            for storeID in [request.fromStoreID, request.toStoreID].sorted() {
                onHand.merge(try await self.lockStock(connection, storeID: storeID, productIDs: productIDs)) { $1 }
            }
            let id = try await connection.query(
                """
                INSERT INTO transfers (from_store_id, to_store_id, note, idempotency_key, created_at)
                VALUES (\(request.fromStoreID), \(request.toStoreID), \(request.note), \(request.idempotency?.key), \(now))
                RETURNING id
                """, logger: self.logger
            ).collectRows { try $0[0].decode(Int64.self) }[0]
            let journal = try Journal.transfer(
                request, transferID: id, products: products, onHand: onHand, now: now, by: context.actor)
            let numbered = journal.numbered(try await self.insert(connection, journal.movements))
            let transfer = numbered.transfer(request, id: id, createdAt: now)
            try await self.appendAudit(
                connection, .transferCreated(transfer, movements: numbered.movements), context, now: now)
            return RecordedTransfer(transfer: transfer, replayed: false)
        }
    }

    public func transfer(id: Int64) async throws -> Transfer {
        try await access { connection in
            guard let transfer = try await self.loadTransfers(connection, ids: [id]).first else {
                throw InventoryError.transferNotFound(id: id)
            }
            return transfer
        }
    }

    public func transfers(_ query: TransferQuery) async throws -> Page<Transfer> {
        try await access { connection in
            var conditions = PostgresConditions("id < \(query.page.after ?? Int64.max)")
            if let storeID = query.storeID {
                conditions.append("(from_store_id = \(storeID) OR to_store_id = \(storeID))")
            }
            if let ids = query.scope.storeIDs {
                conditions.append("(from_store_id = ANY(\(ids)) OR to_store_id = ANY(\(ids)))")
            }
            let statement: QueryFragment =
                "SELECT id FROM transfers \(conditions.whereClause) ORDER BY id DESC LIMIT \(query.page.limit + 1)"
            let ids = try await connection.query(statement.query, logger: self.logger)
                .collectRows { try $0[0].decode(Int64.self) }
            return Page(fetched: try await self.loadTransfers(connection, ids: ids), request: query.page, sortKey: \.id)
        }
    }

    /// The transfers with these ids, in the order given, with their lines: two queries in all.
    private func loadTransfers(_ connection: GuardedConnection, ids: [Int64]) async throws -> [Transfer] {
        guard !ids.isEmpty else { return [] }
        let movements = try await connection.query(
            """
            SELECT m.*, p.sku FROM movements m JOIN products p ON p.id = m.product_id
            WHERE m.transfer_id = ANY(\(ids)) ORDER BY m.id
            """, logger: logger
        ).collectRows(Self.movement)
        let byTransfer = Dictionary(grouping: movements) { $0.transferID! }
        let transfers = try await connection.query(
            "SELECT * FROM transfers WHERE id = ANY(\(ids))", logger: logger
        ).collectRows { row in
            let id = try row["id"].decode(Int64.self)
            return Transfer(
                id: id, fromStoreID: try row["from_store_id"].decode(Int64.self),
                toStoreID: try row["to_store_id"].decode(Int64.self), note: try row["note"].decode(String?.self),
                createdAt: try timestamp(row["created_at"]), lines: Transfer.lines(from: byTransfer[id] ?? []))
        }
        let byID = Dictionary(uniqueKeysWithValues: transfers.map { ($0.id, $0) })
        return ids.compactMap { byID[$0] }
    }
}

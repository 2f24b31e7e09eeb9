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
    private func transferScoped(_ request: TransferRequest, by context: ChangeContext) async throws -> RecordedTransfer {
        try await transaction { connection in
            for storeID in [request.fromStoreID, request.toStoreID].sorted() {
                _ = try await Self.requireStore(connection, id: storeID, lock: "FOR SHARE", logger: self.logger)
            }
            if let claim = request.idempotency,
                try await self.isReplay(connection, claim, storeID: request.fromStoreID)
            {
                let ids = try await connection.query(
                    "SELECT id FROM transfers WHERE idempotency_key = \(claim.key)", logger: self.logger
                ).collectRows { try $0[0].decode(Int64.self) }
                // A key first used for a movement batch has no transfer: it was another request.
                guard let id = ids.first else { throw InventoryError.idempotencyKeyReused(key: claim.key) }
                return RecordedTransfer(transfer: try await self.loadTransfers(connection, ids: [id])[0], replayed: true)
            }
            let products = try await Self.requireProducts(
                connection, request.lines.map(\.product), lock: "FOR SHARE", logger: self.logger)
            try await self.lockAuditChain(connection, chain: request.fromStoreID)
            // Both stores' rows, lower store id first, so crossing transfers cannot deadlock.
            let productIDs = Set(products.values.map(\.id))
            var onHand: [Int64: [Int64: Quantity]] = [:]
            for storeID in [request.fromStoreID, request.toStoreID].sorted() {
                onHand[storeID] = try await self.lockStock(connection, storeID: storeID, productIDs: productIDs)
            }
            let now = Date().truncatedToMilliseconds
            let id = try await connection.query(
                """
                INSERT INTO transfers (from_store_id, to_store_id, note, idempotency_key, created_at)
                VALUES (\(request.fromStoreID), \(request.toStoreID), \(request.note), \(request.idempotency?.key), \(now))
                RETURNING id
                """, logger: self.logger
            ).collectRows { try $0[0].decode(Int64.self) }[0]

            var movements: [Movement] = []
            for line in request.lines {
                let product = products[line.product]!
                let commands = request.commands(for: line)
                for (command, storeID) in [(commands.out, request.fromStoreID), (commands.in, request.toStoreID)] {
                    let posting = try Ledger.posting(
                        command, product: product, storeID: storeID, onHand: onHand[storeID]![product.id]!, now: now)
                    onHand[storeID]![product.id] = posting.balanceAfter
                    movements.append(Movement(
                        id: 0, storeID: storeID, productID: product.id, sku: product.sku, kind: command.kind,
                        delta: posting.delta, balanceAfter: posting.balanceAfter, reason: nil, supplierID: nil,
                        unitCost: nil, unitPrice: nil, note: request.note, occurredAt: posting.occurredAt,
                        recordedAt: now, idempotencyKey: request.idempotency?.key, transferID: id,
                        recordedBy: context.actor))
                }
            }
            let ids = try await self.insert(connection, movements)
            for index in movements.indices { movements[index].id = ids[index] }
            let transfer = Transfer(
                id: id, fromStoreID: request.fromStoreID, toStoreID: request.toStoreID, note: request.note,
                createdAt: now, lines: Transfer.lines(from: movements))
            try await self.appendAudit(
                connection,
                .change("transfer.create", "transfer", id: id, before: nil, after: transfer, chain: request.fromStoreID),
                context, now: now)
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
            var sql = SQLBuilder()
            sql.filter("id < ?", query.page.after ?? Int64.max)
            if let storeID = query.storeID {
                let placeholder = sql.bind(storeID)
                sql.conditions.append("(from_store_id = \(placeholder) OR to_store_id = \(placeholder))")
            }
            if let ids = query.scope.storeIDs {
                let placeholder = sql.bind(ids)
                sql.conditions.append("(from_store_id = ANY(\(placeholder)) OR to_store_id = ANY(\(placeholder)))")
            }
            let limit = sql.bind(query.page.limit + 1)
            let ids = try await connection.query(
                sql.query("SELECT id FROM transfers \(sql.whereClause) ORDER BY id DESC LIMIT \(limit)"), logger: self.logger
            ).collectRows { try $0[0].decode(Int64.self) }
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
                createdAt: try time(row["created_at"]), lines: Transfer.lines(from: byTransfer[id] ?? []))
        }
        let byID = Dictionary(uniqueKeysWithValues: transfers.map { ($0.id, $0) })
        return ids.compactMap { byID[$0] }
    }
}

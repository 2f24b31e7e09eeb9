import Foundation
import GRDB
import InventoryCore

extension SQLiteInventoryStorage {
    public func transferStock(_ request: TransferRequest, by context: ChangeContext) async throws -> RecordedTransfer {
        try await IdempotencyClaim.scoping(request.idempotency, to: context.actor) { claim in
            var request = request
            request.idempotency = claim
            return try await transferScoped(request, by: context)
        }
    }

    /// Transfers under an idempotency key already scoped to its caller.
    private func transferScoped(_ request: TransferRequest, by context: ChangeContext) async throws -> RecordedTransfer {
        try await write { db in
            _ = try Self.requireStore(db, id: request.fromStoreID)
            _ = try Self.requireStore(db, id: request.toStoreID)
            if let claim = request.idempotency {
                if try Self.isReplay(db, claim: claim) {
                    let id = try Int64.fetchOne(
                        db, sql: "SELECT id FROM transfers WHERE idempotency_key = ?", arguments: [claim.key])
                    // A key first used for a movement batch has no transfer: it was another request.
                    guard let id else { throw InventoryError.idempotencyKeyReused(key: claim.key) }
                    return RecordedTransfer(transfer: try Self.loadTransfer(db, id: id), replayed: true)
                }
                try db.execute(
                    sql: "INSERT INTO idempotency_keys (key, request_hash, store_id, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [claim.key, claim.requestHash, request.fromStoreID, Date().unixMilliseconds])
            }
            let now = Date().truncatedToMilliseconds
            let id = try Int64.fetchOne(
                db,
                sql: """
                    INSERT INTO transfers (from_store_id, to_store_id, note, idempotency_key, created_at)
                    VALUES (?, ?, ?, ?, ?) RETURNING id
                    """,
                arguments: [request.fromStoreID, request.toStoreID, request.note, request.idempotency?.key,
                            now.unixMilliseconds])!
            var lines: [Transfer.Line] = []
            for line in request.lines {
                let product = try Self.requireProduct(db, line.product)
                let commands = request.commands(for: line)
                let out = try Self.post(
                    db, commands.out, product: product, storeID: request.fromStoreID, now: now,
                    idempotencyKey: request.idempotency?.key, transferID: id, actor: context.actor)
                let into = try Self.post(
                    db, commands.in, product: product, storeID: request.toStoreID, now: now,
                    idempotencyKey: request.idempotency?.key, transferID: id, actor: context.actor)
                lines.append(Transfer.Line(
                    productID: product.id, sku: product.sku, quantity: line.quantity, outMovementID: out.id,
                    inMovementID: into.id))
            }
            let transfer = Transfer(
                id: id, fromStoreID: request.fromStoreID, toStoreID: request.toStoreID, note: request.note,
                createdAt: now, lines: lines)
            try Self.appendAudit(
                db,
                .change("transfer.create", "transfer", id: id, before: nil, after: transfer, chain: request.fromStoreID),
                context, now: now)
            return RecordedTransfer(transfer: transfer, replayed: false)
        }
    }

    public func transfer(id: Int64) async throws -> Transfer {
        try await read { db in try Self.loadTransfer(db, id: id) }
    }

    public func transfers(_ query: TransferQuery) async throws -> Page<Transfer> {
        try await read { db in
            var conditions = ["id < ?"]
            var arguments: StatementArguments = [query.page.after ?? Int64.max]
            if let storeID = query.storeID {
                conditions.append("(from_store_id = ? OR to_store_id = ?)")
                arguments += [storeID, storeID]
            }
            if let from = Self.scopeCondition(query.scope, column: "from_store_id"),
                let to = Self.scopeCondition(query.scope, column: "to_store_id")
            {
                conditions.append("(\(from.condition) OR \(to.condition))")
                arguments += from.arguments
                arguments += to.arguments
            }
            arguments += [query.page.limit + 1]
            let ids = try Int64.fetchAll(
                db, sql: "SELECT id FROM transfers WHERE \(conditions.joined(separator: " AND ")) ORDER BY id DESC LIMIT ?",
                arguments: arguments)
            return Page(fetched: try ids.map { try Self.loadTransfer(db, id: $0) }, request: query.page, sortKey: \.id)
        }
    }

    static func loadTransfer(_ db: Database, id: Int64) throws -> Transfer {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM transfers WHERE id = ?", arguments: [id]) else {
            throw InventoryError.transferNotFound(id: id)
        }
        let movements = try Row.fetchAll(
            db,
            sql: "SELECT m.*, p.sku FROM movements m JOIN products p ON p.id = m.product_id WHERE m.transfer_id = ?",
            arguments: [id]
        ).map(movement)
        return Transfer(
            id: id, fromStoreID: row["from_store_id"], toStoreID: row["to_store_id"], note: row["note"],
            createdAt: Date(unixMilliseconds: row["created_at"]), lines: Transfer.lines(from: movements))
    }
}

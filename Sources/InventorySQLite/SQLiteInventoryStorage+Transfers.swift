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
    private func transferScoped(_ request: TransferRequest, by context: ChangeContext) async throws -> RecordedTransfer
    {
        try await write { db, now in
            _ = try Self.requireStore(db, id: request.fromStoreID)
            _ = try Self.requireStore(db, id: request.toStoreID)
            if let claim = request.idempotency {
                if try Self.isReplay(db, claim: claim) {
                    let id = try Int64.fetchOne(
                        db, literal: "SELECT id FROM transfers WHERE idempotency_key = \(claim.key)")
                    // A key first used for a movement batch has no transfer: it was another request.
                    guard let id else { throw InventoryError.idempotencyKeyReused(key: claim.key) }
                    return RecordedTransfer(transfer: try Self.loadTransfer(db, id: id), replayed: true)
                }
                try Self.claim(db, claim, storeID: request.fromStoreID, now: now)
            }
            let products = try Self.requireProducts(db, request.lines.map(\.product))
            let onHand = try Self.onHand(
                db, Journal.stockKeys(storeIDs: [request.fromStoreID, request.toStoreID], products: products.values))
            let id = try Int64.fetchOne(
                db,
                literal: """
                    INSERT INTO transfers (from_store_id, to_store_id, note, idempotency_key, created_at)
                    VALUES (\(request.fromStoreID), \(request.toStoreID), \(request.note), \(request.idempotency?.key),
                        \(now.unixMilliseconds))
                    RETURNING id
                    """)!
            let journal = try Journal.transfer(
                request, transferID: id, products: products, onHand: onHand, now: now, by: context.actor)
            let numbered = journal.numbered(try Self.insert(db, journal))
            let transfer = numbered.transfer(request, id: id, createdAt: now)
            try Self.appendAudit(db, .transferCreated(transfer, movements: numbered.movements), context, now: now)
            return RecordedTransfer(transfer: transfer, replayed: false)
        }
    }

    public func transfer(id: Int64) async throws -> Transfer {
        try await read { db in try Self.loadTransfer(db, id: id) }
    }

    public func transfers(_ query: TransferQuery) async throws -> Page<Transfer> {
        try await read { db in
            var conditions = SQLiteConditions("id < \(query.page.after ?? Int64.max)")
            if let storeID = query.storeID {
                conditions.append("(from_store_id = \(storeID) OR to_store_id = \(storeID))")
            }
            if let ids = query.scope.storeIDs {
                conditions.append("(from_store_id IN \(ids) OR to_store_id IN \(ids))")
            }
            let ids = try Int64.fetchAll(
                db,
                literal:
                    "SELECT id FROM transfers WHERE \(conditions.sql) ORDER BY id DESC LIMIT \(query.page.limit + 1)")
            return Page(fetched: try ids.map { try Self.loadTransfer(db, id: $0) }, request: query.page, sortKey: \.id)
        }
    }

    static func loadTransfer(_ db: Database, id: Int64) throws -> Transfer {
        guard let row = try Row.fetchOne(db, literal: "SELECT * FROM transfers WHERE id = \(id)") else {
            throw InventoryError.transferNotFound(id: id)
        }
        let movements = try Row.fetchAll(
            db,
            literal:
                "SELECT m.*, p.sku FROM movements m JOIN products p ON p.id = m.product_id WHERE m.transfer_id = \(id)"
        ).map(movement)
        return Transfer(
            id: id, fromStoreID: row["from_store_id"], toStoreID: row["to_store_id"], note: row["note"],
            createdAt: Date(unixMilliseconds: row["created_at"]), lines: Transfer.lines(from: movements))
    }
}

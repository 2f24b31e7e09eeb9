import Foundation
import InventoryCore
import InventoryDigest
import PostgresNIO

extension PostgresInventoryStorage {
    /// Records a batch in two round trips and one commit, holding no lock between them: the first
    /// reads what the ledger rules need (the store, the products with their stock and last movement,
    /// the store's audit head) and reserves movement ids; the postings and the audit entry are
    /// computed here; the second writes everything in one statement that applies only when nothing it
    /// read has changed (the audit head still at the sequence read, the ledger trigger finding each
    /// stock level at the balance and last movement read).
    ///
    /// Stores nothing and answers `.raced` when another writer got there first, or `.needsLocks` when
    /// anything is out of the ordinary: a missing store, product or supplier, a posting the rules
    /// refuse, a used idempotency key, a product never stocked here, a store's first audit entry. The
    /// locking path then gives the authoritative answer.
    func recordOptimistically(_ batch: MovementBatch, by context: ChangeContext) async throws -> OptimisticOutcome {
        try await access { connection in
            guard let snapshot = try await self.readSnapshot(connection, batch) else { return .needsLocks }
            let now = self.now
            guard
                let journal = try? Journal.record(
                    batch, products: snapshot.products, onHand: snapshot.onHand, now: now, by: context.actor)
            else { return .needsLocks }
            let numbered = journal.numbered(snapshot.movementIDs)
            let record = numbered.recordedAudit(storeID: batch.storeID)
            let sequence = snapshot.head.sequence + 1
            let hash = Digest.sha256Hex(
                AuditChain.text(
                    chain: record.chain, sequence: sequence, recordedAt: now, context: context, record: record,
                    previousHash: snapshot.head.hash))
            let written = try await self.writeIfUnchanged(
                connection, batch, numbered.movements, audit: (record, context, snapshot.head, hash), now: now)
            return written ? .recorded(RecordedMovements(movements: numbered.movements, replayed: false)) : .raced
        }
    }

    enum OptimisticOutcome {
        case recorded(RecordedMovements)
        /// Another writer changed the store meanwhile: worth another try.
        case raced
        /// Only the locking path can answer.
        case needsLocks
    }

    /// What the first round trip read.
    private struct LedgerSnapshot {
        var products: [ProductReference: Product]
        var onHand: [StockKey: Quantity]
        var head: (sequence: Int64, hash: String)
        /// One reserved id per command, ascending.
        var movementIDs: [Int64]
    }

    private func readSnapshot(_ connection: GuardedConnection, _ batch: MovementBatch) async throws -> LedgerSnapshot? {
        let (ids, skus, barcodes) = Self.split(batch.commands.map(\.product))
        let suppliers = Array(Set(batch.commands.compactMap(\.supplierID)))
        let rows = try await connection.execute(
            PreparedStatement.ReadLedgerSnapshot(
                storeID: batch.storeID, supplierIDs: suppliers, idempotencyKey: batch.idempotency?.key,
                movementCount: Int64(batch.commands.count), productIDs: ids, skus: skus, barcodes: barcodes),
            logger: logger
        ).collectRows { row in
            (
                product: try Self.product(row), onHand: try row["level_on_hand"].decode(Int64?.self),
                storeLive: try row["store_live"].decode(Bool.self),
                suppliersLive: try row["suppliers_live"].decode(Int64.self),
                keyUsed: try row["key_used"].decode(Bool.self),
                headSequence: try row["head_sequence"].decode(Int64?.self),
                headHash: try row["head_hash"].decode(String?.self),
                movementIDs: try row["movement_ids"].decode([Int64].self)
            )
        }
        guard let first = rows.first, first.storeLive, first.suppliersLive == Int64(suppliers.count), !first.keyUsed,
            let headSequence = first.headSequence, let headHash = first.headHash,
            let products = try? Self.resolve(batch.commands.map(\.product), among: rows.map(\.product))
        else { return nil }
        var onHand: [StockKey: Quantity] = [:]
        for row in rows {
            guard let level = row.onHand else { return nil }
            onHand[StockKey(storeID: batch.storeID, productID: row.product.id)] = Quantity(thousandths: level)
        }
        return LedgerSnapshot(
            products: products, onHand: onHand, head: (headSequence, headHash), movementIDs: first.movementIDs.sorted())
    }

    /// Writes the movements, the key and the audit entry in one statement, which changes nothing
    /// unless the audit head is still where it was read and the store, products and suppliers are
    /// live (held shared until the commit); past that, the ledger trigger fails the whole statement
    /// unless every stock level is still at the balance and last movement read. Answers whether it
    /// wrote.
    private func writeIfUnchanged(
        _ connection: GuardedConnection, _ batch: MovementBatch, _ movements: [Movement],
        audit: (record: AuditRecord, context: ChangeContext, head: (sequence: Int64, hash: String), hash: String),
        now: Date
    ) async throws -> Bool {
        do {
            let written = try await connection.execute(
                PreparedStatement.WriteIfUnchanged(
                    storeID: batch.storeID, idempotency: batch.idempotency, movements: movements, now: now,
                    context: audit.context, record: audit.record, headSequence: audit.head.sequence,
                    previousHash: audit.head.hash, hash: audit.hash),
                logger: logger
            ).collectRows { _ in true }
            return !written.isEmpty
        } catch let error as PSQLError where Self.isLostRace(error) {
            return false
        }
    }

    /// A concurrent writer changed what the optimistic path read: a stock level moved on (the ledger
    /// trigger's check violation), the same idempotency key was claimed (unique violation), or the
    /// two collided on locks (deadlock).
    private static func isLostRace(_ error: PSQLError) -> Bool {
        ["23514", "23505", "40P01"].contains(error.serverInfo?[.sqlState] ?? "")
    }
}

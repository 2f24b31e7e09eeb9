import Foundation
import InventoryCore
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
            let now = Date().truncatedToMilliseconds
            var onHand = snapshot.onHand
            var movements: [Movement] = []
            for (index, command) in batch.commands.enumerated() {
                let product = snapshot.products[command.product]!
                guard
                    let posting = try? Ledger.posting(
                        command, product: product, storeID: batch.storeID, onHand: onHand[product.id]!, now: now)
                else { return .needsLocks }
                onHand[product.id] = posting.balanceAfter
                movements.append(Movement(
                    id: snapshot.movementIDs[index], storeID: batch.storeID, productID: product.id, sku: product.sku,
                    kind: command.kind, delta: posting.delta, balanceAfter: posting.balanceAfter, reason: command.reason,
                    supplierID: command.supplierID, unitCost: command.unitCost, unitPrice: posting.unitPrice,
                    note: command.note, occurredAt: posting.occurredAt, recordedAt: now,
                    idempotencyKey: batch.idempotency?.key, recordedBy: context.actor))
            }
            let record = AuditRecord.change(
                "movements.record", "store", id: batch.storeID, before: nil, after: movements, chain: batch.storeID)
            let sequence = snapshot.head.sequence + 1
            let hash = Self.sha256Hex(
                AuditChain.text(
                    chain: record.chain, sequence: sequence, recordedAt: now, context: context, record: record,
                    previousHash: snapshot.head.hash))
            let written = try await self.writeIfUnchanged(
                connection, batch, movements, audit: (record, context, snapshot.head, hash), now: now)
            return written ? .recorded(RecordedMovements(movements: movements, replayed: false)) : .raced
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
        var onHand: [Int64: Quantity]
        var head: (sequence: Int64, hash: String)
        /// One reserved id per command, ascending.
        var movementIDs: [Int64]
    }

    private func readSnapshot(_ connection: GuardedConnection, _ batch: MovementBatch) async throws -> LedgerSnapshot? {
        let (ids, skus, barcodes) = Self.split(batch.commands.map(\.product))
        let suppliers = Array(Set(batch.commands.compactMap(\.supplierID)))
        var bindings = PostgresBindings()
        bindings.append(batch.storeID)
        bindings.append(suppliers)
        bindings.append(batch.idempotency?.key)
        bindings.append(Int64(batch.commands.count))
        bindings.append(ids)
        bindings.append(skus)
        bindings.append(barcodes)
        let rows = try await connection.execute(
            PreparedStatement.ReadLedgerSnapshot(bindings: bindings), logger: logger
        ).collectRows { row in
            (product: try Self.product(row), onHand: try row["level_on_hand"].decode(Int64?.self),
             storeLive: try row["store_live"].decode(Bool.self), suppliersLive: try row["suppliers_live"].decode(Int64.self),
             keyUsed: try row["key_used"].decode(Bool.self), headSequence: try row["head_sequence"].decode(Int64?.self),
             headHash: try row["head_hash"].decode(String?.self), movementIDs: try row["movement_ids"].decode([Int64].self))
        }
        guard let first = rows.first, first.storeLive, first.suppliersLive == Int64(suppliers.count), !first.keyUsed,
            let headSequence = first.headSequence, let headHash = first.headHash,
            let products = try? Self.resolve(batch.commands.map(\.product), among: rows.map(\.product))
        else { return nil }
        var onHand: [Int64: Quantity] = [:]
        for row in rows {
            guard let level = row.onHand else { return nil }
            onHand[row.product.id] = Quantity(thousandths: level)
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
        let productIDs = Array(Set(movements.map(\.productID))).sorted()
        let suppliers = Array(Set(movements.compactMap(\.supplierID))).sorted()
        let actor = audit.context.actor
        do {
            // Arrays cannot carry NULL through postgres-nio's encoders, so absent values travel as
            // sentinels no real value can take ('' for text, -1 for ids and amounts).
            var bindings = PostgresBindings()
            bindings.append(batch.storeID)
            bindings.append(productIDs)
            bindings.append(suppliers)
            bindings.append(audit.head.sequence)
            bindings.append(audit.hash)
            bindings.append(batch.idempotency?.key)
            bindings.append(batch.idempotency?.requestHash)
            bindings.append(movements.map(\.id))
            bindings.append(movements.map(\.productID))
            bindings.append(movements.map(\.kind.rawValue))
            bindings.append(movements.map(\.delta.thousandths))
            bindings.append(movements.map(\.balanceAfter.thousandths))
            bindings.append(movements.map { $0.reason ?? "" })
            bindings.append(movements.map { $0.supplierID ?? -1 })
            bindings.append(movements.map { $0.unitCost?.paise ?? -1 })
            bindings.append(movements.map { $0.unitPrice?.paise ?? -1 })
            bindings.append(movements.map { $0.note ?? "" })
            bindings.append(movements.map(\.occurredAt.unixMilliseconds))
            bindings.append(now)
            bindings.append(actor.kind.rawValue)
            bindings.append(actor.id)
            bindings.append(actor.name)
            bindings.append(audit.context.role?.rawValue)
            bindings.append(audit.record.action)
            bindings.append(audit.record.entityType)
            bindings.append(audit.record.entityID)
            bindings.append(audit.record.before)
            bindings.append(audit.record.after)
            bindings.append(audit.context.requestID)
            bindings.append(audit.context.clientAddress)
            bindings.append(audit.head.hash)
            let written = try await connection.execute(
                PreparedStatement.WriteIfUnchanged(bindings: bindings), logger: logger
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

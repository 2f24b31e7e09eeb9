import Foundation

/// Turns validated requests into the movements they make and the audit record that describes
/// them: the one place a `Movement` is built from posted lines.
///
/// A backend reads what the rules need (the products, and the on-hand of each store and product
/// under its lock or as a snapshot it will check), asks the journal, writes the movements it
/// returns, numbers them, and writes the audit record of the numbered entry. A line refused by the
/// ledger rules refuses the whole request.
public struct Journal: Sendable {
    /// The movements of one request, in the order they are written (ids 0 until numbered).
    public var movements: [Movement]
    /// Each (store, product)'s on-hand once the request is applied.
    public var closingOnHand: [StockKey: Quantity]

    /// A batch of movements at one store.
    public static func record(
        _ batch: MovementBatch, products: [ProductReference: Product], onHand: [StockKey: Quantity], now: Date,
        by actor: Identity
    ) throws(InventoryError) -> Journal {
        var journal = Journal(movements: [], closingOnHand: onHand)
        journal.movements.reserveCapacity(batch.commands.count)
        for command in batch.commands {
            guard let product = products[command.product] else {
                throw .productNotFound(reference: "\(command.product)")
            }
            try journal.post(
                command, product: product, storeID: batch.storeID, now: now,
                idempotencyKey: batch.idempotency?.key, transferID: nil, actor: actor)
        }
        return journal
    }

    /// A transfer: for each line, out of the source and into the destination.
    public static func transfer(
        _ request: TransferRequest, transferID: Int64, products: [ProductReference: Product],
        onHand: [StockKey: Quantity], now: Date, by actor: Identity
    ) throws(InventoryError) -> Journal {
        var journal = Journal(movements: [], closingOnHand: onHand)
        for line in request.lines {
            guard let product = products[line.product] else { throw .productNotFound(reference: "\(line.product)") }
            let commands = request.commands(for: line)
            for (command, storeID) in [(commands.out, request.fromStoreID), (commands.in, request.toStoreID)] {
                try journal.post(
                    command, product: product, storeID: storeID, now: now,
                    idempotencyKey: request.idempotency?.key, transferID: transferID, actor: actor)
            }
        }
        return journal
    }

    /// The (store, product) pairs whose on-hand a request needs, each once.
    public static func stockKeys(storeIDs: [Int64], products: some Sequence<Product>) -> Set<StockKey> {
        Set(storeIDs.flatMap { storeID in products.map { StockKey(storeID: storeID, productID: $0.id) } })
    }

    /// The journal with its movements numbered, in order, as the database numbered them.
    public func numbered(_ ids: [Int64]) -> Journal {
        precondition(ids.count == movements.count, "one id per movement")
        var numbered = self
        for index in numbered.movements.indices { numbered.movements[index].id = ids[index] }
        return numbered
    }

    /// The audit record of a numbered batch: the movements recorded at the store.
    public func recordedAudit(storeID: Int64) -> AuditRecord {
        .movementsRecorded(movements, storeID: storeID)
    }

    /// The stored transfer a numbered transfer journal makes.
    public func transfer(_ request: TransferRequest, id: Int64, createdAt: Date) -> Transfer {
        Transfer(
            id: id, fromStoreID: request.fromStoreID, toStoreID: request.toStoreID, note: request.note,
            createdAt: createdAt, lines: Transfer.lines(from: movements))
    }

    private mutating func post(
        _ command: MovementCommand, product: Product, storeID: Int64, now: Date, idempotencyKey: String?,
        transferID: Int64?, actor: Identity
    ) throws(InventoryError) {
        let key = StockKey(storeID: storeID, productID: product.id)
        let posting = try Ledger.posting(
            command, product: product, storeID: storeID, onHand: closingOnHand[key] ?? .zero, now: now)
        closingOnHand[key] = posting.balanceAfter
        movements.append(
            Movement(
                id: 0, storeID: storeID, productID: product.id, sku: product.sku, kind: command.kind,
                delta: posting.delta,
                balanceAfter: posting.balanceAfter, reason: command.reason, supplierID: command.supplierID,
                unitCost: command.unitCost, unitPrice: posting.unitPrice, note: command.note,
                occurredAt: posting.occurredAt, recordedAt: now, idempotencyKey: idempotencyKey, transferID: transferID,
                recordedBy: actor))
    }
}

/// One product's stock level in one store.
public struct StockKey: Sendable, Hashable {
    public var storeID: Int64
    public var productID: Int64

    public init(storeID: Int64, productID: Int64) {
        self.storeID = storeID
        self.productID = productID
    }
}

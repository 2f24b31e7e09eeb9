import Foundation

/// A validated request to move goods from one store to another, all lines or none.
public struct TransferRequest: Sendable, Hashable {
    /// One product and how much of it moves.
    public struct Line: Sendable, Hashable {
        public var product: ProductReference
        public var quantity: Quantity

        public init(product: ProductReference, quantity: Quantity) throws(InventoryError) {
            guard quantity > .zero else { throw .invalidField(name: "quantity", reason: "must be greater than zero") }
            self.product = product
            self.quantity = quantity
        }
    }

    public var fromStoreID: Int64
    public var toStoreID: Int64
    public var lines: [Line]
    public var note: String?
    public var idempotency: IdempotencyClaim?

    public init(
        fromStoreID: Int64, toStoreID: Int64, lines: [Line], note: String?, idempotency: IdempotencyClaim? = nil
    )
        throws(InventoryError)
    {
        guard fromStoreID != toStoreID else {
            throw .invalidField(name: "to_store_id", reason: "must differ from from_store_id")
        }
        guard !lines.isEmpty, lines.count <= Limits.batchSizeMax else {
            throw .invalidField(name: "lines", reason: "must hold 1 to \(Limits.batchSizeMax) lines")
        }
        self.fromStoreID = fromStoreID
        self.toStoreID = toStoreID
        self.lines = lines
        self.note = try TextRule.optional(note, field: "note", lengthMax: Limits.noteLengthMax)
        self.idempotency = idempotency
    }

    /// A deterministic text of the whole request; its hash is what an idempotency key is bound to.
    public var canonicalText: String {
        (["transfer", "from=\(fromStoreID)", "to=\(toStoreID)", String(reflecting: note ?? "")]
            + lines.map { "\($0.product)=\($0.quantity)" }).joined(separator: "\n")
    }

    /// The two commands each line becomes: out of the source, into the destination.
    public func commands(for line: Line) -> (out: MovementCommand, in: MovementCommand) {
        // Transfer commands take a positive quantity and nothing else, which `init` accepts by construction.
        (
            try! MovementCommand(product: line.product, kind: .transferOut, quantity: line.quantity, note: note),
            try! MovementCommand(product: line.product, kind: .transferIn, quantity: line.quantity, note: note)
        )
    }
}

/// A stored transfer with the movements it made.
public struct Transfer: Sendable, Hashable, Identifiable, Encodable {
    public struct Line: Sendable, Hashable, Encodable {
        public var productID: Int64
        public var sku: SKU
        public var quantity: Quantity
        public var outMovementID: Int64
        public var inMovementID: Int64

        public init(productID: Int64, sku: SKU, quantity: Quantity, outMovementID: Int64, inMovementID: Int64) {
            self.productID = productID
            self.sku = sku
            self.quantity = quantity
            self.outMovementID = outMovementID
            self.inMovementID = inMovementID
        }
    }

    public var id: Int64
    public var fromStoreID: Int64
    public var toStoreID: Int64
    public var note: String?
    public var createdAt: Date
    public var lines: [Line]

    public init(id: Int64, fromStoreID: Int64, toStoreID: Int64, note: String?, createdAt: Date, lines: [Line]) {
        self.id = id
        self.fromStoreID = fromStoreID
        self.toStoreID = toStoreID
        self.note = note
        self.createdAt = createdAt
        self.lines = lines
    }

    /// Rebuilds the lines from the transfer's movements: the n-th transfer_out pairs with the n-th transfer_in.
    public static func lines(from movements: [Movement]) -> [Line] {
        let sorted = movements.sorted { $0.id < $1.id }
        let outs = sorted.filter { $0.kind == .transferOut }
        let ins = sorted.filter { $0.kind == .transferIn }
        precondition(outs.count == ins.count, "a transfer has as many movements in as out")
        return zip(outs, ins).map { out, into in
            Line(
                productID: out.productID, sku: out.sku, quantity: into.delta, outMovementID: out.id,
                inMovementID: into.id)
        }
    }
}

/// What recording a transfer produced.
public struct RecordedTransfer: Sendable, Hashable {
    public var transfer: Transfer
    /// True when the idempotency key had been used for this same request and nothing new was stored.
    public var replayed: Bool

    public init(transfer: Transfer, replayed: Bool) {
        self.transfer = transfer
        self.replayed = replayed
    }
}

/// Filters for listing transfers, newest first.
public struct TransferQuery: Sendable, Hashable {
    /// The stores the caller may see; the listing silently leaves out transfers touching none of them.
    public let scope: StoreScope
    /// Transfers out of or into this store.
    public var storeID: Int64?
    public var page: PageRequest

    public init(scope: StoreScope, storeID: Int64? = nil, page: PageRequest) {
        self.scope = scope
        self.storeID = storeID
        self.page = page
    }
}

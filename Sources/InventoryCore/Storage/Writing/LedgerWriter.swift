/// Changes stock: movements, transfers, reorder levels; each change is audited with it.
public protocol LedgerWriter: Sendable {
    /// Applies every movement of the batch in one transaction, or none of them.
    func recordMovements(_ batch: MovementBatch, by context: ChangeContext) async throws -> RecordedMovements
    /// Moves every line from one store to another in one transaction, or nothing when the source
    /// lacks any line.
    func transferStock(_ request: TransferRequest, by context: ChangeContext) async throws -> RecordedTransfer
    /// Sets (or with nil clears) the on-hand at or below which a product counts as low.
    func setReorderLevel(storeID: Int64, product: ProductReference, level: Quantity?, by context: ChangeContext)
        async throws -> StockLevel
}

/// The storage a Godown backend provides. Every backend passes the same contract suite
/// (`InventoryTesting.StorageContract`), so the server and the CLI never know which one runs.
///
/// Implementations hold the invariants in the database itself (on-hand ≥ 0, unique SKUs,
/// foreign keys, an append-only movement table) and apply `Ledger.posting` under a lock
/// that no concurrent write can slip past.
public protocol InventoryStorage: Sendable {
    // MARK: Catalog

    func createProduct(_ draft: ProductDraft) async throws -> Product
    /// The live (not deleted) product named by `reference`.
    func product(_ reference: ProductReference) async throws -> Product
    func listProducts(_ query: ProductQuery) async throws -> Page<Product>
    func updateProduct(_ reference: ProductReference, changes: ProductChanges) async throws -> Product
    /// Soft-deletes a product: it leaves listings and lookups, its history stays.
    func deleteProduct(_ reference: ProductReference) async throws

    func listStores() async throws -> [Store]
    func store(id: Int64) async throws -> Store

    func createSupplier(_ draft: SupplierDraft) async throws -> Supplier
    func listSuppliers(_ page: PageRequest) async throws -> Page<Supplier>

    // MARK: Ledger

    /// Applies every movement of the batch in one transaction, or none of them.
    func recordMovements(_ batch: MovementBatch) async throws -> RecordedMovements
    func stockLevels(_ query: StockQuery) async throws -> Page<StockLevel>
    func stockLevel(storeID: Int64, product: ProductReference) async throws -> StockLevel
    /// Sets (or with nil clears) the on-hand at or below which a product counts as low.
    func setReorderLevel(storeID: Int64, product: ProductReference, level: Quantity?) async throws -> StockLevel
    func movements(_ query: MovementQuery) async throws -> Page<Movement>
    /// Walks the whole ledger and reports every place where it disagrees with itself.
    func verifyLedger() async throws -> LedgerVerification

    // MARK: Operations

    /// Throws unless the database answers a trivial query.
    func checkHealth() async throws
}

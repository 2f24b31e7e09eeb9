import Foundation

/// The storage a Godown backend provides. Every backend passes the same contract suite
/// (`InventoryTesting.StorageContract`), so the server and the CLI never know which one runs.
///
/// Implementations hold the invariants in the database itself (on-hand ≥ 0, unique SKUs,
/// foreign keys, an append-only movement table) and apply `Ledger.posting` under a lock
/// that no concurrent write can slip past.
public protocol InventoryStorage: Sendable {
    // MARK: Catalog

    @discardableResult
    func createProduct(_ draft: ProductDraft, by context: ChangeContext) async throws -> Product
    /// The live (not deleted) product named by `reference`.
    func product(_ reference: ProductReference) async throws -> Product
    func listProducts(_ query: ProductQuery) async throws -> Page<Product>
    func updateProduct(_ reference: ProductReference, changes: ProductChanges, by context: ChangeContext) async throws -> Product
    /// Soft-deletes a product: it leaves listings and lookups, its history stays.
    func deleteProduct(_ reference: ProductReference, by context: ChangeContext) async throws

    /// The stock of one product in every live store, by store id.
    func productStock(_ product: ProductReference, scope: StoreScope, page: PageRequest) async throws -> Page<StockLevel>

    // MARK: Locations

    @discardableResult
    func createCity(_ draft: CityDraft, by context: ChangeContext) async throws -> City
    func city(id: Int64) async throws -> City
    func listCities(_ query: DirectoryQuery) async throws -> Page<City>
    func updateCity(id: Int64, changes: CityChanges, by context: ChangeContext) async throws -> City
    /// Soft-deletes a city; its stores keep it in their history.
    func deleteCity(id: Int64, by context: ChangeContext) async throws

    @discardableResult
    func createStore(_ draft: StoreDraft, by context: ChangeContext) async throws -> Store
    /// The live store with this id.
    func store(id: Int64) async throws -> Store
    func listStores(_ query: StoreQuery) async throws -> Page<Store>
    func updateStore(id: Int64, changes: StoreChanges, by context: ChangeContext) async throws -> Store
    /// Soft-deletes a store; refused while it holds stock.
    func deleteStore(id: Int64, by context: ChangeContext) async throws

    // MARK: Suppliers

    @discardableResult
    func createSupplier(_ draft: SupplierDraft, by context: ChangeContext) async throws -> Supplier
    /// The live supplier with this id.
    func supplier(id: Int64) async throws -> Supplier
    func listSuppliers(_ query: DirectoryQuery) async throws -> Page<Supplier>
    func updateSupplier(id: Int64, changes: SupplierChanges, by context: ChangeContext) async throws -> Supplier
    /// Soft-deletes a supplier; movements keep naming it.
    func deleteSupplier(id: Int64, by context: ChangeContext) async throws
    /// Links (or re-links with new terms) a product to a supplier.
    @discardableResult
    func linkSupplier(
        product: ProductReference, supplierID: Int64, terms: ProductSupplierTerms, by context: ChangeContext
    ) async throws
        -> ProductSupplier
    func unlinkSupplier(product: ProductReference, supplierID: Int64, by context: ChangeContext) async throws
    /// Every live supplier of a product, preferred first.
    func productSuppliers(_ product: ProductReference) async throws -> [ProductSupplier]
    /// The live products a supplier offers, by product id.
    func supplierProducts(supplierID: Int64, page: PageRequest) async throws -> Page<ProductSupplier>

    // MARK: Ledger

    /// Applies every movement of the batch in one transaction, or none of them.
    func recordMovements(_ batch: MovementBatch, by context: ChangeContext) async throws -> RecordedMovements
    func stockLevels(_ query: StockQuery) async throws -> Page<StockLevel>
    /// One product's stock in one store, now or (`asOf`) as the book stood at that instant: the last
    /// balance recorded at or before it.
    func stockLevel(storeID: Int64, product: ProductReference, asOf: Date?) async throws -> StockLevel
    /// Sets (or with nil clears) the on-hand at or below which a product counts as low.
    func setReorderLevel(storeID: Int64, product: ProductReference, level: Quantity?, by context: ChangeContext)
        async throws -> StockLevel
    func movements(_ query: MovementQuery) async throws -> Page<Movement>
    /// Moves every line from one store to another in one transaction, or nothing when the source
    /// lacks any line.
    func transferStock(_ request: TransferRequest, by context: ChangeContext) async throws -> RecordedTransfer
    func transfer(id: Int64) async throws -> Transfer
    func transfers(_ query: TransferQuery) async throws -> Page<Transfer>
    /// Walks the whole ledger and reports every place where it disagrees with itself.
    func verifyLedger() async throws -> LedgerVerification

    // MARK: Reports

    /// On-hand and its value at cost, grouped by store, city or product.
    func stockReport(_ query: StockReportQuery) async throws -> Report<StockReportRow>
    /// Quantity and revenue of sales per period and group.
    func salesReport(_ query: SalesReportQuery) async throws -> Report<SalesReportRow>
    /// Every (store, product) at or below its reorder level.
    func lowStockReport(_ query: LowStockQuery) async throws -> Page<LowStockRow>

    // MARK: Access

    /// Creates the user `admin` with this password hash when there is no user at all; false when there was one.
    func bootstrapAdmin(passwordHash: String, by context: ChangeContext) async throws -> Bool
    @discardableResult
    func createUser(_ draft: UserDraft, by context: ChangeContext) async throws -> User
    func user(id: Int64) async throws -> User
    func listUsers(_ page: PageRequest) async throws -> Page<User>
    /// Changes a user's role, stores, password or active flag; deactivating also revokes their refresh tokens.
    func updateUser(id: Int64, changes: UserChanges, by context: ChangeContext) async throws -> User
    /// The user (active or not) with this username and their password hash, to check a password against.
    func credential(username: String) async throws -> StoredCredential?

    @discardableResult
    func createAPIKey(_ draft: APIKeyDraft, by context: ChangeContext) async throws -> APIKey
    func listAPIKeys(_ page: PageRequest) async throws -> Page<APIKey>
    func revokeAPIKey(id: Int64, by context: ChangeContext) async throws
    /// The live (not revoked) key whose secret hashes to `secretHash`.
    func apiKey(secretHash: String) async throws -> APIKey?

    /// Stores a new refresh token (a login) and writes the login to the audit log.
    func grantRefreshToken(_ grant: RefreshTokenGrant, by context: ChangeContext) async throws
    /// Spends the token hashing to `tokenHash` and stores `next` in its place, in one transaction.
    /// A token spent before revokes its family and answers `.reused`.
    func rotateRefreshToken(tokenHash: String, next: RefreshTokenGrant, by context: ChangeContext) async throws
        -> RefreshOutcome
    /// Revokes the family of the token hashing to `tokenHash` (a logout); unknown tokens change nothing.
    func revokeRefreshToken(tokenHash: String, by context: ChangeContext) async throws
    /// Writes a login attempt that changed nothing (a failure) to the audit log.
    func recordLoginAttempt(_ attempt: LoginAttempt, by context: ChangeContext) async throws

    // MARK: Audit

    /// Audit entries, newest first.
    func auditEntries(_ query: AuditQuery) async throws -> Page<AuditEntry>
    /// Walks every audit chain and names the first entry where each one breaks.
    func verifyAuditLog() async throws -> AuditVerification

    // MARK: Operations

    /// Throws unless the database answers a trivial query.
    func checkHealth() async throws
}

extension InventoryStorage {
    /// One product's stock in one store now.
    public func stockLevel(storeID: Int64, product: ProductReference) async throws -> StockLevel {
        try await stockLevel(storeID: storeID, product: product, asOf: nil)
    }
}

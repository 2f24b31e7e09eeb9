import InventoryCore

extension ChangeContext {
    /// The actor of changes the contract suite and other tests make directly on the storage.
    public static let test = ChangeContext(
        actor: Identity(kind: .system, id: nil, name: "test"), role: .admin, requestID: "test", clientAddress: nil)
}

/// The storage's changes made by `ChangeContext.test`, so tests that are not about the actor read
/// as they did before every change carried one. Only test targets import this module.
extension CatalogWriter {
    @discardableResult
    public func createProduct(_ draft: ProductDraft) async throws -> Product {
        try await createProduct(draft, by: .test)
    }

    public func updateProduct(_ reference: ProductReference, changes: ProductChanges) async throws -> Product {
        try await updateProduct(reference, changes: changes, by: .test)
    }

    public func deleteProduct(_ reference: ProductReference) async throws {
        try await deleteProduct(reference, by: .test)
    }

}

extension CatalogWriter {
    @discardableResult
    public func createSupplier(_ draft: SupplierDraft) async throws -> Supplier {
        try await createSupplier(draft, by: .test)
    }

    public func updateSupplier(id: Int64, changes: SupplierChanges) async throws -> Supplier {
        try await updateSupplier(id: id, changes: changes, by: .test)
    }

    public func deleteSupplier(id: Int64) async throws {
        try await deleteSupplier(id: id, by: .test)
    }

    @discardableResult
    public func linkSupplier(product: ProductReference, supplierID: Int64, terms: ProductSupplierTerms) async throws
        -> ProductSupplier
    {
        try await linkSupplier(product: product, supplierID: supplierID, terms: terms, by: .test)
    }

    public func unlinkSupplier(product: ProductReference, supplierID: Int64) async throws {
        try await unlinkSupplier(product: product, supplierID: supplierID, by: .test)
    }
}

extension LedgerReader {
    /// One product's stock in every store.
    public func productStock(_ product: ProductReference, page: PageRequest) async throws -> Page<StockLevel> {
        try await productStock(ProductStockQuery(product: product, scope: .all, page: page))
    }
}

extension LocationWriter {
    @discardableResult
    public func createCity(_ draft: CityDraft) async throws -> City {
        try await createCity(draft, by: .test)
    }

    public func updateCity(id: Int64, changes: CityChanges) async throws -> City {
        try await updateCity(id: id, changes: changes, by: .test)
    }

    public func deleteCity(id: Int64) async throws {
        try await deleteCity(id: id, by: .test)
    }

    @discardableResult
    public func createStore(_ draft: StoreDraft) async throws -> Store {
        try await createStore(draft, by: .test)
    }

    public func updateStore(id: Int64, changes: StoreChanges) async throws -> Store {
        try await updateStore(id: id, changes: changes, by: .test)
    }

    public func deleteStore(id: Int64) async throws {
        try await deleteStore(id: id, by: .test)
    }

}

extension LedgerWriter {
    @discardableResult
    public func recordMovements(_ batch: MovementBatch) async throws -> RecordedMovements {
        try await recordMovements(batch, by: .test)
    }

    @discardableResult
    public func setReorderLevel(storeID: Int64, product: ProductReference, level: Quantity?) async throws -> StockLevel
    {
        try await setReorderLevel(storeID: storeID, product: product, level: level, by: .test)
    }

    @discardableResult
    public func transferStock(_ request: TransferRequest) async throws -> RecordedTransfer {
        try await transferStock(request, by: .test)
    }
}

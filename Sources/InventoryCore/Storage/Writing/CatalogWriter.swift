/// Changes the product catalog and the suppliers who offer it; each change is audited.
public protocol CatalogWriter: Sendable {
    @discardableResult
    func createProduct(_ draft: ProductDraft, by context: ChangeContext) async throws -> Product
    func updateProduct(_ reference: ProductReference, changes: ProductChanges, by context: ChangeContext) async throws
        -> Product
    /// Soft-deletes a product: it leaves listings and lookups, its history stays; refused while in stock.
    func deleteProduct(_ reference: ProductReference, by context: ChangeContext) async throws

    @discardableResult
    func createSupplier(_ draft: SupplierDraft, by context: ChangeContext) async throws -> Supplier
    func updateSupplier(id: Int64, changes: SupplierChanges, by context: ChangeContext) async throws -> Supplier
    /// Soft-deletes a supplier; movements keep naming it.
    func deleteSupplier(id: Int64, by context: ChangeContext) async throws
    /// Links (or re-links with new terms) a product to a supplier.
    @discardableResult
    func linkSupplier(
        product: ProductReference, supplierID: Int64, terms: ProductSupplierTerms, by context: ChangeContext
    ) async throws -> ProductSupplier
    func unlinkSupplier(product: ProductReference, supplierID: Int64, by context: ChangeContext) async throws
}

/// Reads the product catalog and the suppliers who offer it.
public protocol CatalogReader: Sendable {
    /// The live (not deleted) product named by `reference`.
    func product(_ reference: ProductReference) async throws -> Product
    func listProducts(_ query: ProductQuery) async throws -> Page<Product>
    /// The live supplier with this id.
    func supplier(id: Int64) async throws -> Supplier
    func listSuppliers(_ query: DirectoryQuery) async throws -> Page<Supplier>
    /// Every live supplier of a product, preferred first.
    func productSuppliers(_ product: ProductReference) async throws -> [ProductSupplier]
    /// The live products a supplier offers, by product id.
    func supplierProducts(supplierID: Int64, page: PageRequest) async throws -> Page<ProductSupplier>
}

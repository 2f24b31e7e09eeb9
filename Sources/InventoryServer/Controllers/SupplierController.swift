import Hummingbird
import InventoryCore

/// Routes of suppliers and what they supply.
struct SupplierController<Catalog: CatalogReader & CatalogWriter> {
    let catalog: Catalog

    func addRoutes(to v1: RouterGroup<AuthenticatedContext>) {
        v1.group("suppliers")
            .get(use: list)
            .post(use: create)
            .get(":supplier_id", use: show)
            .patch(":supplier_id", use: update)
            .delete(":supplier_id", use: remove)
            .get(":supplier_id/products", use: listProducts)
        v1.group("products/:product/suppliers")
            .get(use: listProductSuppliers)
            .put(":supplier_id", use: link)
            .delete(":supplier_id", use: unlink)
    }

    @Sendable func list(request: Request, context: AuthenticatedContext) async throws -> PageWire<SupplierWire> {
        _ = try context.authorize(.readCatalog)
        let query = try RequestParameters(request: request, context: context).directoryQuery()
        return PageWire(try await catalog.listSuppliers(query), transform: SupplierWire.init)
    }

    @Sendable func create(request: Request, context: AuthenticatedContext) async throws -> EditedResponse<SupplierWire>
    {
        let caller = try context.authorize(.changeCatalog)
        let body = try await request.decodeJSON(SupplierBody.self, context: context)
        return EditedResponse(
            status: .created,
            response: SupplierWire(try await catalog.createSupplier(try body.draft(), by: caller.change)))
    }

    @Sendable func show(request: Request, context: AuthenticatedContext) async throws -> SupplierWire {
        _ = try context.authorize(.readCatalog)
        let id = try RequestParameters(request: request, context: context).pathID("supplier_id")
        return SupplierWire(try await catalog.supplier(id: id))
    }

    @Sendable func update(request: Request, context: AuthenticatedContext) async throws -> SupplierWire {
        let caller = try context.authorize(.changeCatalog)
        let id = try RequestParameters(request: request, context: context).pathID("supplier_id")
        let body = try await request.decodeJSON(SupplierBody.self, context: context)
        return SupplierWire(try await catalog.updateSupplier(id: id, changes: try body.changes(), by: caller.change))
    }

    @Sendable func remove(request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        let caller = try context.authorize(.changeCatalog)
        try await catalog.deleteSupplier(
            id: try RequestParameters(request: request, context: context).pathID("supplier_id"), by: caller.change)
        return .noContent
    }

    @Sendable func listProducts(request: Request, context: AuthenticatedContext) async throws
        -> PageWire<ProductSupplierWire>
    {
        _ = try context.authorize(.readCatalog)
        let parameters = RequestParameters(request: request, context: context)
        let page = try await catalog.supplierProducts(
            supplierID: try parameters.pathID("supplier_id"), page: try parameters.page())
        return PageWire(page, transform: ProductSupplierWire.init)
    }

    @Sendable func listProductSuppliers(request: Request, context: AuthenticatedContext) async throws
        -> PageWire<ProductSupplierWire>
    {
        _ = try context.authorize(.readCatalog)
        let product = try RequestParameters(request: request, context: context).productReference("product")
        // A product has few suppliers: one page holds them all.
        return PageWire(
            items: try await catalog.productSuppliers(product).map(ProductSupplierWire.init), nextCursor: nil)
    }

    @Sendable func link(request: Request, context: AuthenticatedContext) async throws -> ProductSupplierWire {
        let caller = try context.authorize(.changeCatalog)
        let parameters = RequestParameters(request: request, context: context)
        let product = try parameters.productReference("product")
        let supplierID = try parameters.pathID("supplier_id")
        let body = try await request.decodeJSON(ProductSupplierBody.self, context: context)
        return ProductSupplierWire(
            try await catalog.linkSupplier(
                product: product, supplierID: supplierID, terms: try body.terms(), by: caller.change))
    }

    @Sendable func unlink(request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        let caller = try context.authorize(.changeCatalog)
        let parameters = RequestParameters(request: request, context: context)
        try await catalog.unlinkSupplier(
            product: try parameters.productReference("product"), supplierID: try parameters.pathID("supplier_id"),
            by: caller.change)
        return .noContent
    }
}

import Hummingbird
import InventoryCore

/// Routes of suppliers and what they supply.
struct SupplierController<Storage: InventoryStorage> {
    let storage: Storage

    func addRoutes(to router: Router<GodownRequestContext>) {
        router.group("v1/suppliers")
            .get(use: list)
            .post(use: create)
            .get(":supplier_id", use: show)
            .patch(":supplier_id", use: update)
            .delete(":supplier_id", use: remove)
            .get(":supplier_id/products", use: listProducts)
        router.group("v1/products/:product/suppliers")
            .get(use: listProductSuppliers)
            .put(":supplier_id", use: link)
            .delete(":supplier_id", use: unlink)
    }

    @Sendable func list(request: Request, context: GodownRequestContext) async throws -> PageWire<SupplierWire> {
        _ = try context.authorize(.readCatalog)
        let query = try RequestParameters(request: request, context: context).directoryQuery()
        return PageWire(try await storage.listSuppliers(query), transform: SupplierWire.init)
    }

    @Sendable func create(request: Request, context: GodownRequestContext) async throws -> EditedResponse<SupplierWire> {
        let caller = try context.authorize(.changeCatalog)
        let body = try await request.decodeJSON(SupplierBody.self, context: context)
        return EditedResponse(status: .created, response: SupplierWire(try await storage.createSupplier(try body.draft(), by: caller.change)))
    }

    @Sendable func show(request: Request, context: GodownRequestContext) async throws -> SupplierWire {
        _ = try context.authorize(.readCatalog)
        let id = try RequestParameters(request: request, context: context).pathID("supplier_id")
        return SupplierWire(try await storage.supplier(id: id))
    }

    @Sendable func update(request: Request, context: GodownRequestContext) async throws -> SupplierWire {
        let caller = try context.authorize(.changeCatalog)
        let id = try RequestParameters(request: request, context: context).pathID("supplier_id")
        let body = try await request.decodeJSON(SupplierBody.self, context: context)
        return SupplierWire(try await storage.updateSupplier(id: id, changes: try body.changes(), by: caller.change))
    }

    @Sendable func remove(request: Request, context: GodownRequestContext) async throws -> HTTPResponse.Status {
        let caller = try context.authorize(.changeCatalog)
        try await storage.deleteSupplier(
            id: try RequestParameters(request: request, context: context).pathID("supplier_id"), by: caller.change)
        return .noContent
    }

    @Sendable func listProducts(request: Request, context: GodownRequestContext) async throws
        -> PageWire<ProductSupplierWire>
    {
        _ = try context.authorize(.readCatalog)
        let parameters = RequestParameters(request: request, context: context)
        let page = try await storage.supplierProducts(supplierID: try parameters.pathID("supplier_id"), page: try parameters.page())
        return PageWire(page, transform: ProductSupplierWire.init)
    }

    @Sendable func listProductSuppliers(request: Request, context: GodownRequestContext) async throws
        -> PageWire<ProductSupplierWire>
    {
        _ = try context.authorize(.readCatalog)
        let product = try RequestParameters(request: request, context: context).productReference("product")
        // A product has few suppliers: one page holds them all.
        return PageWire(items: try await storage.productSuppliers(product).map(ProductSupplierWire.init), nextCursor: nil)
    }

    @Sendable func link(request: Request, context: GodownRequestContext) async throws -> ProductSupplierWire {
        let caller = try context.authorize(.changeCatalog)
        let parameters = RequestParameters(request: request, context: context)
        let product = try parameters.productReference("product")
        let supplierID = try parameters.pathID("supplier_id")
        let body = try await request.decodeJSON(ProductSupplierBody.self, context: context)
        return ProductSupplierWire(try await storage.linkSupplier(product: product, supplierID: supplierID, terms: try body.terms(), by: caller.change))
    }

    @Sendable func unlink(request: Request, context: GodownRequestContext) async throws -> HTTPResponse.Status {
        let caller = try context.authorize(.changeCatalog)
        let parameters = RequestParameters(request: request, context: context)
        try await storage.unlinkSupplier(
            product: try parameters.productReference("product"), supplierID: try parameters.pathID("supplier_id"),
            by: caller.change)
        return .noContent
    }
}

import Hummingbird
import InventoryCore

/// Routes of the central product catalog.
struct ProductController<Catalog: CatalogReader & CatalogWriter, Stock: LedgerReader> {
    let catalog: Catalog
    let stock: Stock

    func addRoutes(to v1: RouterGroup<AuthenticatedContext>) {
        v1.group("products")
            .post(use: create)
            .get(use: list)
            .get(":product", use: show)
            .patch(":product", use: update)
            .delete(":product", use: remove)
            .get(":product/stock", use: stockAcrossStores)
    }

    @Sendable func stockAcrossStores(request: Request, context: AuthenticatedContext) async throws
        -> PageWire<StockLevelWire>
    {
        let caller = try context.authorize(.readStock)
        let parameters = RequestParameters(request: request, context: context)
        let query = ProductStockQuery(
            product: try parameters.productReference("product"), scope: caller.scope, page: try parameters.page())
        let page = try await stock.productStock(query)
        return PageWire(page, transform: StockLevelWire.init)
    }

    @Sendable func create(request: Request, context: AuthenticatedContext) async throws -> EditedResponse<ProductWire> {
        let caller = try context.authorize(.changeCatalog)
        let body = try await request.decodeJSON(ProductCreateBody.self, context: context)
        let product = try await catalog.createProduct(try body.draft(), by: caller.change)
        return EditedResponse(status: .created, response: ProductWire(product))
    }

    @Sendable func list(request: Request, context: AuthenticatedContext) async throws -> PageWire<ProductWire> {
        _ = try context.authorize(.readCatalog)
        let parameters = RequestParameters(request: request, context: context)
        let query = try ProductQuery(
            search: parameters.string("q"),
            sku: parameters.string("sku").map { text throws(InventoryError) in try SKU(text) },
            barcode: parameters.string("barcode"),
            active: try parameters.boolean("active"),
            includeDeleted: try parameters.boolean("include_deleted") ?? false,
            page: try parameters.page())
        return PageWire(try await catalog.listProducts(query), transform: ProductWire.init)
    }

    @Sendable func show(request: Request, context: AuthenticatedContext) async throws -> ProductWire {
        _ = try context.authorize(.readCatalog)
        let reference = try RequestParameters(request: request, context: context).productReference("product")
        return ProductWire(try await catalog.product(reference))
    }

    @Sendable func update(request: Request, context: AuthenticatedContext) async throws -> ProductWire {
        let caller = try context.authorize(.changeCatalog)
        let reference = try RequestParameters(request: request, context: context).productReference("product")
        let body = try await request.decodeJSON(ProductPatchBody.self, context: context)
        return ProductWire(try await catalog.updateProduct(reference, changes: try body.changes(), by: caller.change))
    }

    @Sendable func remove(request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        let caller = try context.authorize(.changeCatalog)
        let reference = try RequestParameters(request: request, context: context).productReference("product")
        try await catalog.deleteProduct(reference, by: caller.change)
        return .noContent
    }
}

import Hummingbird
import InventoryCore

/// Routes of the central product catalog.
struct ProductController<Storage: InventoryStorage> {
    let storage: Storage

    func addRoutes(to router: Router<GodownRequestContext>) {
        router.group("v1/products")
            .post(use: create)
            .get(use: list)
            .get(":product", use: show)
            .patch(":product", use: update)
            .delete(":product", use: remove)
            .get(":product/stock", use: stockAcrossStores)
    }

    @Sendable func stockAcrossStores(request: Request, context: GodownRequestContext) async throws
        -> PageWire<StockLevelWire>
    {
        let caller = try context.authorize(.readStock)
        let parameters = RequestParameters(request: request, context: context)
        let page = try await storage.productStock(
            try parameters.productReference("product"), scope: caller.scope, page: try parameters.page())
        return PageWire(page, transform: StockLevelWire.init)
    }

    @Sendable func create(request: Request, context: GodownRequestContext) async throws -> EditedResponse<ProductWire> {
        let caller = try context.authorize(.changeCatalog)
        let body = try await request.decodeJSON(ProductCreateBody.self, context: context)
        let product = try await storage.createProduct(try body.draft(), by: caller.change)
        return EditedResponse(status: .created, response: ProductWire(product))
    }

    @Sendable func list(request: Request, context: GodownRequestContext) async throws -> PageWire<ProductWire> {
        _ = try context.authorize(.readCatalog)
        let parameters = RequestParameters(request: request, context: context)
        let query = try ProductQuery(
            search: parameters.string("q"),
            sku: parameters.string("sku").map { text throws(InventoryError) in try SKU(text) },
            barcode: parameters.string("barcode"),
            active: try parameters.boolean("active"),
            includeDeleted: try parameters.boolean("include_deleted") ?? false,
            page: try parameters.page())
        return PageWire(try await storage.listProducts(query), transform: ProductWire.init)
    }

    @Sendable func show(request: Request, context: GodownRequestContext) async throws -> ProductWire {
        _ = try context.authorize(.readCatalog)
        let reference = try RequestParameters(request: request, context: context).productReference("product")
        return ProductWire(try await storage.product(reference))
    }

    @Sendable func update(request: Request, context: GodownRequestContext) async throws -> ProductWire {
        let caller = try context.authorize(.changeCatalog)
        let reference = try RequestParameters(request: request, context: context).productReference("product")
        let body = try await request.decodeJSON(ProductPatchBody.self, context: context)
        return ProductWire(try await storage.updateProduct(reference, changes: try body.changes(), by: caller.change))
    }

    @Sendable func remove(request: Request, context: GodownRequestContext) async throws -> HTTPResponse.Status {
        let caller = try context.authorize(.changeCatalog)
        let reference = try RequestParameters(request: request, context: context).productReference("product")
        try await storage.deleteProduct(reference, by: caller.change)
        return .noContent
    }
}

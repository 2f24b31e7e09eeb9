import Hummingbird
import InventoryCore

/// Routes of stores and suppliers.
struct LocationController<Storage: InventoryStorage> {
    let storage: Storage

    func addRoutes(to router: Router<GodownRequestContext>) {
        router.get("v1/stores", use: listStores)
        router.get("v1/stores/:store_id", use: showStore)
        router.group("v1/suppliers")
            .get(use: listSuppliers)
            .post(use: createSupplier)
    }

    @Sendable func listStores(request: Request, context: GodownRequestContext) async throws -> PageWire<StoreWire> {
        PageWire(items: try await storage.listStores().map(StoreWire.init), nextCursor: nil)
    }

    @Sendable func showStore(request: Request, context: GodownRequestContext) async throws -> StoreWire {
        let storeID = try RequestParameters(request: request, context: context).pathID("store_id")
        return StoreWire(try await storage.store(id: storeID))
    }

    @Sendable func listSuppliers(request: Request, context: GodownRequestContext) async throws
        -> PageWire<SupplierWire>
    {
        let page = try RequestParameters(request: request, context: context).page()
        return PageWire(try await storage.listSuppliers(page), transform: SupplierWire.init)
    }

    @Sendable func createSupplier(request: Request, context: GodownRequestContext) async throws
        -> EditedResponse<SupplierWire>
    {
        let body = try await request.decodeJSON(SupplierCreateBody.self, context: context)
        let supplier = try await storage.createSupplier(try body.draft())
        return EditedResponse(status: .created, response: SupplierWire(supplier))
    }
}

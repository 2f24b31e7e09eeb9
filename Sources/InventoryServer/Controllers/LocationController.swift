import Hummingbird
import InventoryCore

/// Routes of cities and stores.
struct LocationController<Storage: InventoryStorage> {
    let storage: Storage

    func addRoutes(to router: Router<GodownRequestContext>) {
        router.group("v1/cities")
            .get(use: listCities)
            .post(use: createCity)
            .get(":city_id", use: showCity)
            .patch(":city_id", use: updateCity)
            .delete(":city_id", use: deleteCity)
            .get(":city_id/stores", use: listCityStores)
        router.group("v1/stores")
            .get(use: listStores)
            .post(use: createStore)
            .get(":store_id", use: showStore)
            .patch(":store_id", use: updateStore)
            .delete(":store_id", use: deleteStore)
    }

    @Sendable func listCities(request: Request, context: GodownRequestContext) async throws -> PageWire<CityWire> {
        _ = try context.authorize(.readCatalog)
        let query = try RequestParameters(request: request, context: context).directoryQuery()
        return PageWire(try await storage.listCities(query), transform: CityWire.init)
    }

    @Sendable func createCity(request: Request, context: GodownRequestContext) async throws -> EditedResponse<CityWire> {
        let caller = try context.authorize(.changeCatalog)
        let body = try await request.decodeJSON(CityBody.self, context: context)
        return EditedResponse(status: .created, response: CityWire(try await storage.createCity(try body.draft(), by: caller.change)))
    }

    @Sendable func showCity(request: Request, context: GodownRequestContext) async throws -> CityWire {
        _ = try context.authorize(.readCatalog)
        let id = try RequestParameters(request: request, context: context).pathID("city_id")
        return CityWire(try await storage.city(id: id))
    }

    @Sendable func updateCity(request: Request, context: GodownRequestContext) async throws -> CityWire {
        let caller = try context.authorize(.changeCatalog)
        let id = try RequestParameters(request: request, context: context).pathID("city_id")
        let body = try await request.decodeJSON(CityBody.self, context: context)
        return CityWire(try await storage.updateCity(id: id, changes: try body.changes(), by: caller.change))
    }

    @Sendable func deleteCity(request: Request, context: GodownRequestContext) async throws -> HTTPResponse.Status {
        let caller = try context.authorize(.changeCatalog)
        try await storage.deleteCity(
            id: try RequestParameters(request: request, context: context).pathID("city_id"), by: caller.change)
        return .noContent
    }

    @Sendable func listCityStores(request: Request, context: GodownRequestContext) async throws -> PageWire<StoreWire> {
        let caller = try context.authorize(.readCatalog)
        let parameters = RequestParameters(request: request, context: context)
        let city = try await storage.city(id: try parameters.pathID("city_id"))
        var query = StoreQuery(
            cityID: city.id, active: try parameters.boolean("active"),
            includeDeleted: try parameters.boolean("include_deleted") ?? false, page: try parameters.page())
        query.scope = caller.scope
        return PageWire(try await storage.listStores(query), transform: StoreWire.init)
    }

    @Sendable func listStores(request: Request, context: GodownRequestContext) async throws -> PageWire<StoreWire> {
        let caller = try context.authorize(.readCatalog)
        let parameters = RequestParameters(request: request, context: context)
        var query = StoreQuery(
            cityID: try parameters.integer("city_id"), active: try parameters.boolean("active"),
            includeDeleted: try parameters.boolean("include_deleted") ?? false, page: try parameters.page())
        query.scope = caller.scope
        return PageWire(try await storage.listStores(query), transform: StoreWire.init)
    }

    @Sendable func createStore(request: Request, context: GodownRequestContext) async throws -> EditedResponse<StoreWire> {
        let caller = try context.authorize(.changeCatalog)
        let body = try await request.decodeJSON(StoreBody.self, context: context)
        return EditedResponse(status: .created, response: StoreWire(try await storage.createStore(try body.draft(), by: caller.change)))
    }

    @Sendable func showStore(request: Request, context: GodownRequestContext) async throws -> StoreWire {
        let storeID = try RequestParameters(request: request, context: context).pathID("store_id")
        _ = try context.authorize(.readCatalog, store: storeID)
        return StoreWire(try await storage.store(id: storeID))
    }

    @Sendable func updateStore(request: Request, context: GodownRequestContext) async throws -> StoreWire {
        let caller = try context.authorize(.changeCatalog)
        let id = try RequestParameters(request: request, context: context).pathID("store_id")
        let body = try await request.decodeJSON(StoreBody.self, context: context)
        return StoreWire(try await storage.updateStore(id: id, changes: try body.changes(), by: caller.change))
    }

    @Sendable func deleteStore(request: Request, context: GodownRequestContext) async throws -> HTTPResponse.Status {
        let caller = try context.authorize(.changeCatalog)
        try await storage.deleteStore(
            id: try RequestParameters(request: request, context: context).pathID("store_id"), by: caller.change)
        return .noContent
    }
}

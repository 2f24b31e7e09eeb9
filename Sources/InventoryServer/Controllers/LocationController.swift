import Hummingbird
import InventoryCore

/// Routes of cities and stores.
struct LocationController<Locations: LocationReader & LocationWriter> {
    let locations: Locations

    func addRoutes(to v1: RouterGroup<AuthenticatedContext>) {
        v1.group("cities")
            .get(use: listCities)
            .post(use: createCity)
            .get(":city_id", use: showCity)
            .patch(":city_id", use: updateCity)
            .delete(":city_id", use: deleteCity)
            .get(":city_id/stores", use: listCityStores)
        v1.group("stores")
            .get(use: listStores)
            .post(use: createStore)
            .get(":store_id", use: showStore)
            .patch(":store_id", use: updateStore)
            .delete(":store_id", use: deleteStore)
    }

    @Sendable func listCities(request: Request, context: AuthenticatedContext) async throws -> PageWire<CityWire> {
        _ = try context.authorize(.readCatalog)
        let query = try RequestParameters(request: request, context: context).directoryQuery()
        return PageWire(try await locations.listCities(query), transform: CityWire.init)
    }

    @Sendable func createCity(request: Request, context: AuthenticatedContext) async throws -> EditedResponse<CityWire>
    {
        let caller = try context.authorize(.changeCatalog)
        let body = try await request.decodeJSON(CityBody.self, context: context)
        return EditedResponse(
            status: .created, response: CityWire(try await locations.createCity(try body.draft(), by: caller.change)))
    }

    @Sendable func showCity(request: Request, context: AuthenticatedContext) async throws -> CityWire {
        _ = try context.authorize(.readCatalog)
        let id = try RequestParameters(request: request, context: context).pathID("city_id")
        return CityWire(try await locations.city(id: id))
    }

    @Sendable func updateCity(request: Request, context: AuthenticatedContext) async throws -> CityWire {
        let caller = try context.authorize(.changeCatalog)
        let id = try RequestParameters(request: request, context: context).pathID("city_id")
        let body = try await request.decodeJSON(CityBody.self, context: context)
        return CityWire(try await locations.updateCity(id: id, changes: try body.changes(), by: caller.change))
    }

    @Sendable func deleteCity(request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        let caller = try context.authorize(.changeCatalog)
        try await locations.deleteCity(
            id: try RequestParameters(request: request, context: context).pathID("city_id"), by: caller.change)
        return .noContent
    }

    @Sendable func listCityStores(request: Request, context: AuthenticatedContext) async throws -> PageWire<StoreWire> {
        let caller = try context.authorize(.readCatalog)
        let parameters = RequestParameters(request: request, context: context)
        let city = try await locations.city(id: try parameters.pathID("city_id"))
        let query = StoreQuery(
            scope: caller.scope, cityID: city.id, active: try parameters.boolean("active"),
            includeDeleted: try parameters.boolean("include_deleted") ?? false, page: try parameters.page())
        return PageWire(try await locations.listStores(query), transform: StoreWire.init)
    }

    @Sendable func listStores(request: Request, context: AuthenticatedContext) async throws -> PageWire<StoreWire> {
        let caller = try context.authorize(.readCatalog)
        let parameters = RequestParameters(request: request, context: context)
        let query = StoreQuery(
            scope: caller.scope, cityID: try parameters.integer("city_id"), active: try parameters.boolean("active"),
            includeDeleted: try parameters.boolean("include_deleted") ?? false, page: try parameters.page())
        return PageWire(try await locations.listStores(query), transform: StoreWire.init)
    }

    @Sendable func createStore(request: Request, context: AuthenticatedContext) async throws -> EditedResponse<
        StoreWire
    > {
        let caller = try context.authorize(.changeCatalog)
        let body = try await request.decodeJSON(StoreBody.self, context: context)
        return EditedResponse(
            status: .created, response: StoreWire(try await locations.createStore(try body.draft(), by: caller.change)))
    }

    @Sendable func showStore(request: Request, context: AuthenticatedContext) async throws -> StoreWire {
        let storeID = try RequestParameters(request: request, context: context).pathID("store_id")
        _ = try context.authorize(.readCatalog, store: storeID)
        return StoreWire(try await locations.store(id: storeID))
    }

    @Sendable func updateStore(request: Request, context: AuthenticatedContext) async throws -> StoreWire {
        let caller = try context.authorize(.changeCatalog)
        let id = try RequestParameters(request: request, context: context).pathID("store_id")
        let body = try await request.decodeJSON(StoreBody.self, context: context)
        return StoreWire(try await locations.updateStore(id: id, changes: try body.changes(), by: caller.change))
    }

    @Sendable func deleteStore(request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        let caller = try context.authorize(.changeCatalog)
        try await locations.deleteStore(
            id: try RequestParameters(request: request, context: context).pathID("store_id"), by: caller.change)
        return .noContent
    }
}

/// Reads cities and stores.
public protocol LocationReader: Sendable {
    func city(id: Int64) async throws -> City
    func listCities(_ query: DirectoryQuery) async throws -> Page<City>
    /// The live store with this id.
    func store(id: Int64) async throws -> Store
    func listStores(_ query: StoreQuery) async throws -> Page<Store>
}

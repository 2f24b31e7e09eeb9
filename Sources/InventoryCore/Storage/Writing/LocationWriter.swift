/// Changes cities and stores; each change is audited.
public protocol LocationWriter: Sendable {
    @discardableResult
    func createCity(_ draft: CityDraft, by context: ChangeContext) async throws -> City
    func updateCity(id: Int64, changes: CityChanges, by context: ChangeContext) async throws -> City
    /// Soft-deletes a city; its stores keep it in their history.
    func deleteCity(id: Int64, by context: ChangeContext) async throws

    @discardableResult
    func createStore(_ draft: StoreDraft, by context: ChangeContext) async throws -> Store
    func updateStore(id: Int64, changes: StoreChanges, by context: ChangeContext) async throws -> Store
    /// Soft-deletes a store; refused while it holds stock.
    func deleteStore(id: Int64, by context: ChangeContext) async throws
}

import Foundation

/// Reads stock levels, the movement history and transfers.
public protocol LedgerReader: Sendable {
    func stockLevels(_ query: StockQuery) async throws -> Page<StockLevel>
    /// One product's stock in one store, now or (`asOf`) as the book stood at that instant: the last
    /// balance recorded at or before it.
    func stockLevel(storeID: Int64, product: ProductReference, asOf: Date?) async throws -> StockLevel
    /// The stock of one product in every live store of `query`'s scope, by store id.
    func productStock(_ query: ProductStockQuery) async throws -> Page<StockLevel>
    func movements(_ query: MovementQuery) async throws -> Page<Movement>
    func transfer(id: Int64) async throws -> Transfer
    func transfers(_ query: TransferQuery) async throws -> Page<Transfer>
}

extension LedgerReader {
    /// One product's stock in one store now.
    public func stockLevel(storeID: Int64, product: ProductReference) async throws -> StockLevel {
        try await stockLevel(storeID: storeID, product: product, asOf: nil)
    }
}

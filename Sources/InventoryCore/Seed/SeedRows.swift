import Foundation

/// What `godown seed` builds: sizes and the seed that makes it reproducible.
public struct SeedPlan: Sendable, Hashable {
    public var stores: Int
    public var products: Int
    /// Days of history before `end`.
    public var days: Int
    /// Stores that get daily history (sales, restocks, removals, counts, transfers); every store gets opening stock.
    public var historyStores: Int
    public var seed: UInt64
    /// The end of the history (the seed's "today").
    public var end: Date

    public init(stores: Int, products: Int, days: Int, historyStores: Int, seed: UInt64, end: Date)
        throws(InventoryError)
    {
        guard (1...100_000).contains(stores) else { throw .invalidField(name: "stores", reason: "must be 1 to 100000") }
        guard (1...20_000).contains(products) else {
            throw .invalidField(name: "products", reason: "must be 1 to 20000")
        }
        guard (0...3_660).contains(days) else { throw .invalidField(name: "days", reason: "must be 0 to 3660") }
        self.stores = stores
        self.products = products
        self.days = days
        self.historyStores = min(max(historyStores, 0), stores)
        self.seed = seed
        self.end = end
    }
}

/// The directory part of seeded data, with ids assigned (the seed loads into an empty database).
public struct SeedCatalog: Sendable {
    public var cities: [City]
    public var stores: [Store]
    public var suppliers: [Supplier]
    public var products: [Product]
    public var links: [SeedProductSupplier]
    public var transfers: [SeedTransfer]
}

public struct SeedProductSupplier: Sendable, Hashable {
    public var productID: Int64
    public var supplierID: Int64
    public var supplierSKU: String
    public var costPrice: Money
    public var leadTimeDays: Int
    public var preferred: Bool
}

public struct SeedTransfer: Sendable, Hashable {
    public var id: Int64
    public var fromStoreID: Int64
    public var toStoreID: Int64
    public var createdAt: Date
}

/// One ledger row, in id order; a chain's rows come in time order.
public struct SeedMovement: Sendable, Hashable {
    public var id: Int64
    public var storeID: Int64
    public var productID: Int64
    public var kind: MovementKind
    public var delta: Int64
    public var balanceAfter: Int64
    public var reason: String?
    public var supplierID: Int64?
    public var unitCost: Int64?
    public var unitPrice: Int64?
    public var occurredAtMilliseconds: Int64
    public var transferID: Int64?
}

/// One (store, product) stock level after every movement.
public struct SeedStockLevel: Sendable, Hashable {
    public var storeID: Int64
    public var productID: Int64
    public var onHand: Int64
    public var reorderLevel: Int64
}

/// A backend that can load seeded data in bulk into an empty database.
public protocol SeedLoading: Sendable {
    /// Loads everything `generator` produces, calling `progress` now and then; refuses a database
    /// that already holds products or movements.
    func loadSeed(_ generator: SeedGenerator, progress: @Sendable (String) -> Void) async throws
}

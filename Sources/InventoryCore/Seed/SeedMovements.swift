import Foundation

/// The seeded ledger, produced one movement at a time so millions never sit in memory.
public struct SeedMovements: IteratorProtocol, Sendable {
    let generator: SeedGenerator
    /// On-hand of each history (store, product), in thousandths, while the days unfold.
    private(set) var balances: [Int64]
    private var nextID: Int64 = 1
    private var openingStore = 0
    private var openingProduct = 0
    private var day = 0
    private var historyStore = 0
    private var pending: [SeedMovement] = []
    private var pendingIndex = 0
    private var transferID: Int64 = 0
    /// Rows produced so far.
    public private(set) var count = 0

    init(generator: SeedGenerator) {
        self.generator = generator
        balances = [Int64](repeating: 0, count: generator.plan.historyStores * generator.plan.products)
    }

    public mutating func next() -> SeedMovement? {
        let plan = generator.plan
        if openingStore < plan.stores {
            let movement = opening(store: openingStore, product: openingProduct)
            openingProduct += 1
            if openingProduct == plan.products {
                openingProduct = 0
                openingStore += 1
            }
            count += 1
            return movement
        }
        while pendingIndex == pending.count {
            guard day < plan.days, plan.historyStores > 0 else { return nil }
            pending = simulate(day: day, store: historyStore)
            pendingIndex = 0
            historyStore += 1
            if historyStore == plan.historyStores {
                historyStore = 0
                day += 1
            }
        }
        defer { pendingIndex += 1 }
        count += 1
        return pending[pendingIndex]
    }

    private mutating func opening(store: Int, product: Int) -> SeedMovement {
        let quantity = generator.openingQuantity(store: store, product: product)
        if store < generator.plan.historyStores { balances[store * generator.plan.products + product] = quantity }
        return make(
            store: store, product: product, kind: .stockIn, delta: quantity, balance: quantity,
            supplierID: generator.preferredSupplier[product], unitCost: generator.costPaise[product],
            at: SeedGenerator.at(generator.start, day: -1, hour: 8))
    }

    /// One history store's day, in time order: restocks, a weekly transfer, a removal, sales, a monthly count.
    private mutating func simulate(day: Int, store: Int) -> [SeedMovement] {
        var random = SeedRandom.derived(generator.plan.seed, 3, UInt64(day), UInt64(store))
        let products = generator.plan.products
        var rows: [SeedMovement] = []
        let base = store * products
        for product in 0..<products
        where balances[base + product] <= generator.reorderLevel(store: store, product: product) {
            let quantity = generator.roundToUnit(
                generator.reorderLevel(store: store, product: product) * 3, product: product)
            rows.append(
                post(
                    store: store, product: product, kind: .stockIn, delta: quantity,
                    supplierID: generator.preferredSupplier[product], unitCost: generator.costPaise[product],
                    at: SeedGenerator.at(generator.start, day: day, hour: 9)))
        }
        if generator.plan.historyStores >= 2, day % 7 == 3 {
            transferID += 1
            let destination = (store + 1) % generator.plan.historyStores
            for product in Array(0..<products).shuffled(using: &random).prefix(3) {
                let quantity = generator.roundToUnit(5_000, product: product)
                let at = SeedGenerator.at(generator.start, day: day, hour: 10)
                // The source receives the goods first, so every transfer has its lines.
                rows.append(
                    post(
                        store: store, product: product, kind: .stockIn, delta: quantity,
                        supplierID: generator.preferredSupplier[product], unitCost: generator.costPaise[product], at: at
                    ))
                rows.append(
                    post(
                        store: store, product: product, kind: .transferOut, delta: -quantity, at: at,
                        transfer: transferID))
                rows.append(
                    post(
                        store: destination, product: product, kind: .transferIn, delta: quantity, at: at,
                        transfer: transferID))
            }
        }
        if Int.random(in: 0..<10, using: &random) < 3 {
            let product = Int.random(in: 0..<products, using: &random)
            let quantity = min(balances[base + product], generator.roundToUnit(1_000, product: product))
            if quantity > 0 {
                rows.append(
                    post(
                        store: store, product: product, kind: .removal, delta: -quantity,
                        reason: Bool.random(using: &random) ? "expired" : "damaged",
                        at: SeedGenerator.at(generator.start, day: day, hour: 12)))
            }
        }
        // Weekly rhythm: Saturday and Sunday busiest, Tuesday quietest.
        let weekday = (day + Int(generator.start.timeIntervalSince1970 / 86_400) + 4) % 7
        let rhythm = [1.25, 0.9, 0.85, 0.9, 0.95, 1.05, 1.3][weekday]
        for product in 0..<products {
            let expected =
                generator.dailyUnits(product: product) * rhythm * Double.random(in: 0.5...1.5, using: &random)
            guard expected >= 1 || Double.random(in: 0...1, using: &random) < expected else { continue }
            let wanted = generator.roundToUnit(Int64(max(expected, 1) * 1000), product: product)
            let quantity = min(wanted, balances[base + product])
            guard quantity > 0 else { continue }
            let price = generator.catalog.products[product].salePrice!.paise
            rows.append(
                post(
                    store: store, product: product, kind: .sale, delta: -quantity,
                    unitPrice: Int.random(in: 0..<20, using: &random) == 0 ? price * 9 / 10 : price,
                    at: SeedGenerator.at(generator.start, day: day, hour: 20)))
        }
        if day % 30 == 29 {
            for product in Array(0..<products).shuffled(using: &random).prefix(10) {
                let counted = max(
                    0,
                    balances[base + product]
                        - generator.roundToUnit(Int64.random(in: 0...1, using: &random) * 1_000, product: product))
                rows.append(
                    post(
                        store: store, product: product, kind: .count, delta: counted - balances[base + product],
                        reason: "monthly count", at: SeedGenerator.at(generator.start, day: day, hour: 21)))
            }
        }
        return rows
    }

    /// Applies a movement to the running balance of a history store and returns its row.
    private mutating func post(
        store: Int, product: Int, kind: MovementKind, delta: Int64, reason: String? = nil, supplierID: Int64? = nil,
        unitCost: Int64? = nil, unitPrice: Int64? = nil, at: Date, transfer: Int64? = nil
    ) -> SeedMovement {
        let index = store * generator.plan.products + product
        balances[index] += delta
        precondition(balances[index] >= 0, "the seed never oversells")
        return make(
            store: store, product: product, kind: kind, delta: delta, balance: balances[index], reason: reason,
            supplierID: supplierID, unitCost: unitCost, unitPrice: unitPrice, at: at, transfer: transfer)
    }

    private mutating func make(
        store: Int, product: Int, kind: MovementKind, delta: Int64, balance: Int64, reason: String? = nil,
        supplierID: Int64? = nil, unitCost: Int64? = nil, unitPrice: Int64? = nil, at: Date, transfer: Int64? = nil
    ) -> SeedMovement {
        defer { nextID += 1 }
        return SeedMovement(
            id: nextID, storeID: Int64(store + 1), productID: Int64(product + 1), kind: kind, delta: delta,
            balanceAfter: balance, reason: reason, supplierID: supplierID, unitCost: unitCost, unitPrice: unitPrice,
            occurredAtMilliseconds: at.unixMilliseconds, transferID: transfer)
    }
}

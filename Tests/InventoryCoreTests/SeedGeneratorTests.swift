import Foundation
import InventoryCore
import Testing

/// The seed generator is deterministic and builds chains that never go below zero.
@Suite struct SeedGeneratorTests {
    static let end = Date(unixMilliseconds: 1_795_000_000_000)

    func digest(_ plan: SeedPlan) -> (count: Int, sum: Int64, levels: [Int64]) {
        let generator = SeedGenerator(plan: plan)
        var movements = generator.makeMovements()
        var sum: Int64 = 0
        var balances: [String: Int64] = [:]
        while let movement = movements.next() {
            sum = sum &* 31 &+ movement.delta &+ movement.id
            let key = "\(movement.storeID)/\(movement.productID)"
            #expect(balances[key, default: 0] + movement.delta == movement.balanceAfter)
            #expect(movement.balanceAfter >= 0)
            balances[key] = movement.balanceAfter
        }
        let levels = generator.stockLevels(after: movements).map(\.onHand)
        let expected = generator.stockLevels(after: movements).map { balances["\($0.storeID)/\($0.productID)"] ?? 0 }
        #expect(levels == expected)
        return (movements.count, sum, levels)
    }

    @Test func theSameSeedBuildsTheSameChainAndAnotherSeedAnother() throws {
        let plan = try SeedPlan(stores: 4, products: 30, days: 20, historyStores: 2, seed: 42, end: Self.end)
        let first = digest(plan)
        let again = digest(plan)
        var other = plan
        other.seed = 43
        #expect(first.count == again.count && first.sum == again.sum && first.levels == again.levels)
        #expect(digest(other).sum != first.sum)
        #expect(first.count > 4 * 30)
    }

    @Test func barcodesAreValidEAN13() {
        let catalog = SeedGenerator(
            plan: try! SeedPlan(stores: 1, products: 5, days: 0, historyStores: 0, seed: 1, end: Self.end)
        ).catalog
        for product in catalog.products {
            let digits = product.barcode!.compactMap(\.wholeNumberValue)
            let sum = digits.enumerated().reduce(0) { $0 + $1.element * ($1.offset.isMultiple(of: 2) ? 1 : 3) }
            #expect(digits.count == 13 && sum % 10 == 0)
        }
    }

    @Test func plansAreBounded() {
        #expect(throws: InventoryError.self) {
            try SeedPlan(stores: 0, products: 1, days: 1, historyStores: 0, seed: 1, end: Self.end)
        }
        #expect(throws: InventoryError.self) {
            try SeedPlan(stores: 1, products: 20_001, days: 1, historyStores: 0, seed: 1, end: Self.end)
        }
    }
}

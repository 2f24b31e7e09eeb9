import Foundation
import InventoryCore
import Testing

/// The seed every backend must load into a consistent ledger.
public struct SeedContract<Storage: InventoryStorage & SeedLoading>: Sendable {
    /// One named check; each runs on a fresh database.
    public enum Check: String, ContractCheck {
        case seedsAConsistentChain
    }

    let storage: Storage
    /// The time the storage records with, which a check moves forward instead of sleeping.
    let time: ManualTime

    public init(storage: Storage, time: ManualTime) {
        self.storage = storage
        self.time = time
    }

    public func run(_ check: Check) async throws {
        switch check {
        case .seedsAConsistentChain: try await seedsAConsistentChain()
        }
    }
}

extension SeedContract {
    func seedsAConsistentChain() async throws {
        let plan = try SeedPlan(stores: 6, products: 40, days: 21, historyStores: 3, seed: 7, end: time.now)
        let generator = SeedGenerator(plan: plan)
        try await storage.loadSeed(generator) { _ in }

        // Every chain holds and matches its stock level
        let verification = try await storage.verifyLedger()
        var movements = generator.makeMovements()
        var last: SeedMovement?
        while let movement = movements.next() { last = movement }
        #expect(verification.isIntact)
        #expect(verification.movementsChecked == movements.count)
        #expect(verification.chainsChecked == 6 * 40)

        // The catalog and history are there, and read back as generated
        #expect(
            try await storage.listStores(StoreQuery(scope: .all, page: PageRequest())).items.map(\.code).first
                == "BOM-00001")
        #expect(try await storage.listProducts(ProductQuery(page: PageRequest(limit: 500))).items.count == 40)
        let newest = try #require(
            try await storage.movements(MovementQuery(scope: .all, page: PageRequest(limit: 1))).items.first)
        #expect(newest.id == last?.id && newest.occurredAt.unixMilliseconds == last?.occurredAtMilliseconds)
        let transfers = try await storage.transfers(TransferQuery(scope: .all, page: PageRequest(limit: 500))).items
        #expect(transfers.count == 3 * 3 && transfers.allSatisfy { $0.lines.count == 3 })
        let sales = try await storage.salesReport(
            SalesReportQuery(
                scope: .all,
                period: .week, grouping: .store, from: plan.end.addingTimeInterval(-30 * 86_400), to: plan.end))
        #expect(Set(sales.rows.map(\.groupName)) == ["BOM-00001", "BOM-00002", "BOM-00003"])

        // New ids follow the seeded ones, and the ledger takes new movements on seeded stock
        let store = try await storage.createStore(StoreDraft(code: "NEW-1", name: "New", cityID: 1, address: nil))
        #expect(store.id == 7)
        let product = generator.catalog.products[0]
        let sale = try await storage.recordMovements(
            MovementBatch(
                storeID: 4,
                commands: [MovementCommand(product: .id(product.id), kind: .sale, quantity: Quantity(units: 1))]))
        #expect(sale.movements[0].id > last?.id ?? 0)
        #expect(try await storage.verifyLedger().isIntact)

        // A second seed is refused: it needs an empty database
        await expectError(.invalidField(name: "database", reason: "seed needs an empty database")) {
            try await storage.loadSeed(generator) { _ in }
        }
    }
}

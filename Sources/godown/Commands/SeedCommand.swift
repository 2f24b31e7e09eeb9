import ArgumentParser
import Foundation
import InventoryCore

/// `godown seed`: fills an empty database with a realistic, deterministic chain.
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Fill an empty database with realistic data: cities, stores, a kiryana catalog, suppliers, history.",
        discussion: """
            Every store opens with stock of every product; the first --history-stores stores get --days days of
            sales (weekly rhythm), restocks, removals, monthly counts and weekly transfers. The same --seed
            always builds the same data.
            """)

    @Option(help: "Stores (the default store becomes the first).") var stores = 10
    @Option(help: "Products in the catalog.") var products = 50
    @Option(help: "Days of history, ending today.") var days = 30
    @Option(help: "Stores with daily history (default: up to 100).") var historyStores: Int?
    @Option(help: "The seed of the generator.") var seed: UInt64 = 42
    @Flag(help: "Walk the whole ledger afterwards.") var verify = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let plan = try SeedPlan(
            stores: stores, products: products, days: days, historyStores: historyStores ?? min(stores, 100),
            seed: seed,
            end: Date())
        let generator = SeedGenerator(plan: plan)
        let started = ContinuousClock.now
        Output.printNow(
            "Seeding \(plan.stores) stores × \(plan.products) products, \(plan.days) days of history for \(plan.historyStores) stores"
        )
        let verify = verify
        try await database.withStorage { storage in
            try await storage.loadSeed(generator) { Output.printNow($0) }
            if verify {
                let result = try await storage.verifyLedger()
                Output.printNow(
                    "verify: \(result.movementsChecked) movements in \(result.chainsChecked) chains, \(result.breakCount) breaks"
                )
                if !result.isIntact { throw ExitCode(2) }
            }
        }
        Output.printNow("Seeded in \(ContinuousClock.now - started).")
    }
}

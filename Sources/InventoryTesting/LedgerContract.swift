import Foundation
import InventoryCore
import Testing

/// The ledger behaviour every backend must show: postings, refusals, concurrency, idempotency, stock.
public struct LedgerContract<Storage: CatalogReader & CatalogWriter & LedgerReader & LedgerWriter & StorageMaintenance>:
    Sendable
{
    /// One named check; each runs on a fresh database.
    public enum Check: String, ContractCheck {
        case recordsEveryKind
        case refusesToOversell
        case concurrentSalesSellExactlyTheStock
        case concurrentWritersKeepEveryChainInOrder
        case replaysAnIdempotentRequestOnce
        case appliesABatchAllOrNothing
        case requiresWholeQuantitiesForPiecesAndPacks
        case capsOnHand
        case refusesUnknownReferences
        case listsStockWithReorderLevels
        case verifiesAnIntactLedger
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
        case .recordsEveryKind: try await recordsEveryKind()
        case .refusesToOversell: try await refusesToOversell()
        case .concurrentSalesSellExactlyTheStock: try await concurrentSalesSellExactlyTheStock()
        case .concurrentWritersKeepEveryChainInOrder: try await concurrentWritersKeepEveryChainInOrder()
        case .replaysAnIdempotentRequestOnce: try await replaysAnIdempotentRequestOnce()
        case .appliesABatchAllOrNothing: try await appliesABatchAllOrNothing()
        case .requiresWholeQuantitiesForPiecesAndPacks: try await requiresWholeQuantitiesForPiecesAndPacks()
        case .capsOnHand: try await capsOnHand()
        case .refusesUnknownReferences: try await refusesUnknownReferences()
        case .listsStockWithReorderLevels: try await listsStockWithReorderLevels()
        case .verifiesAnIntactLedger: try await verifiesAnIntactLedger()
        }
    }
}

extension LedgerContract {
    func recordsEveryKind() async throws {
        // Given a priced product and a supplier
        try await storage.createProduct(Fixtures.draft("OIL-1L", unit: .l, price: "180.00"))
        let supplier = try await storage.createSupplier(SupplierDraft(name: "Gupta Oils", phone: "0120 555 0101"))
        let delivered = Date(unixMilliseconds: 1_790_000_000_123)

        // When every kind is recorded in turn
        let stockIn = try await storage.record(
            Fixtures.command(
                "oil-1l", .stockIn, "10", supplierID: supplier.id, unitCost: "150.5", note: "invoice 77",
                occurredAt: delivered))
        let sale = try await storage.record(Fixtures.command("OIL-1L", .sale, "2.5"))
        let removal = try await storage.record(Fixtures.command("OIL-1L", .removal, "0.5", reason: "Expired"))
        let down = try await storage.record(Fixtures.command("OIL-1L", .adjustment, "-2", reason: "miscount"))
        let up = try await storage.record(Fixtures.command("OIL-1L", .adjustment, "1", reason: "found a bottle"))
        let count = try await storage.record(Fixtures.command("OIL-1L", .count, "8"))
        let recount = try await storage.record(Fixtures.command("OIL-1L", .count, "8"))

        // Then each has its signed delta and the running balance
        let chain = [stockIn, sale, removal, down, up, count, recount].map {
            ($0.kind, "\($0.delta)", "\($0.balanceAfter)")
        }
        #expect(chain.map(\.0) == [.stockIn, .sale, .removal, .adjustment, .adjustment, .count, .count])
        #expect(chain.map(\.1) == ["10", "-2.5", "-0.5", "-2", "1", "2", "0"])
        #expect(chain.map(\.2) == ["10", "7.5", "7", "5", "6", "8", "8"])
        // and says who supplied what at which cost, when, and at what price it sold
        #expect(stockIn.supplierID == supplier.id)
        #expect(stockIn.unitCost == Money(paise: 15050))
        #expect(stockIn.note == "invoice 77")
        #expect(stockIn.occurredAt == delivered)
        #expect(stockIn.recordedAt > delivered)
        #expect(sale.unitPrice == Money(paise: 18000))
        #expect(removal.reason == "expired")
        #expect(try await storage.onHand("OIL-1L") == Fixtures.quantity("8"))
        // and the history reads back exactly what was returned
        #expect(try await storage.allMovements() == [recount, count, up, down, removal, sale, stockIn])
    }

    func refusesToOversell() async throws {
        try await storage.createProduct(Fixtures.draft("DAL-1KG", unit: .kg))
        try await storage.record(Fixtures.command("DAL-1KG", .stockIn, "10"))

        await expectError(
            .insufficientStock(
                sku: "DAL-1KG", storeID: 1, requested: Fixtures.quantity("10.001"),
                available: Fixtures.quantity("10"))
        ) {
            try await storage.record(Fixtures.command("DAL-1KG", .sale, "10.001"))
        }
        await expectError(
            .insufficientStock(
                sku: "DAL-1KG", storeID: 1, requested: Fixtures.quantity("11"),
                available: Fixtures.quantity("10"))
        ) {
            try await storage.record(Fixtures.command("DAL-1KG", .removal, "11", reason: "lost"))
        }
        await expectError(
            .insufficientStock(
                sku: "DAL-1KG", storeID: 1, requested: Fixtures.quantity("12"),
                available: Fixtures.quantity("10"))
        ) {
            try await storage.record(Fixtures.command("DAL-1KG", .adjustment, "-12", reason: "typo"))
        }
        #expect(try await storage.onHand("DAL-1KG") == Fixtures.quantity("10"))
        #expect(try await storage.allMovements().count == 1)
        // Selling exactly what is there is allowed and leaves zero.
        let last = try await storage.record(Fixtures.command("DAL-1KG", .sale, "10"))
        #expect(last.balanceAfter == .zero)
    }

    func concurrentSalesSellExactlyTheStock() async throws {
        // Given 20 units
        try await storage.createProduct(Fixtures.draft("SUGAR-1KG"))
        try await storage.record(Fixtures.command("SUGAR-1KG", .stockIn, "20"))

        // When 50 sales of one unit race each other
        let storage = self.storage
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    do {
                        try await storage.record(Fixtures.command("SUGAR-1KG", .sale, "1"))
                        return true
                    } catch InventoryError.insufficientStock {
                        return false
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }

        // Then exactly 20 succeed, the rest are refused, and the stock ends at zero
        #expect(outcomes.filter { $0 }.count == 20)
        #expect(outcomes.filter { !$0 }.count == 30)
        #expect(try await storage.onHand("SUGAR-1KG") == .zero)
        let balances = try await storage.allMovements().filter { $0.kind == .sale }.map(\.balanceAfter.description)
        #expect(Set(balances) == Set((0..<20).map(String.init)))
        #expect(try await storage.verifyLedger().isIntact)
    }

    func concurrentWritersKeepEveryChainInOrder() async throws {
        // Given two products with a little stock, so balances swing back to values seen before
        try await storage.createProduct(Fixtures.draft("SALT-1KG"))
        try await storage.createProduct(Fixtures.draft("SOAP-100G", unit: .piece))
        try await storage.recordMovements(
            Fixtures.batch([
                Fixtures.command("SALT-1KG", .stockIn, "2"), Fixtures.command("SOAP-100G", .stockIn, "2"),
            ]))

        // When 60 batches race: each receives one of a product and sells one of the other, in either order.
        // A batch that would take a product below zero is refused whole; each task answers the change it made.
        let storage = self.storage
        let applied = try await withThrowingTaskGroup(of: [String: Int64]?.self) { group in
            for index in 0..<60 {
                group.addTask {
                    let (first, second) =
                        index.isMultiple(of: 2) ? ("SALT-1KG", "SOAP-100G") : ("SOAP-100G", "SALT-1KG")
                    let (received, sold) = index % 3 == 0 ? (first, second) : (second, first)
                    let (receive, sell) = (
                        try Fixtures.command(received, .stockIn, "1"), try Fixtures.command(sold, .sale, "1")
                    )
                    let commands = index % 3 == 0 ? [receive, sell] : [sell, receive]
                    do {
                        _ = try await storage.recordMovements(Fixtures.batch(commands))
                        return [received: 1, sold: -1]
                    } catch InventoryError.insufficientStock {
                        return nil
                    }
                }
            }
            return try await group.reduce(into: [[String: Int64]]()) { if let change = $1 { $0.append(change) } }
        }

        // Then the first batches cannot have run short, and each product holds the 2 it started with plus
        // the changes of exactly the batches that were acknowledged, each of which wrote two movements
        #expect(applied.count >= 2)
        let movements = try await storage.allMovements()
        #expect(movements.count == 2 + 2 * applied.count)
        for sku in ["SALT-1KG", "SOAP-100G"] {
            let expected = 2 + applied.reduce(Int64(0)) { $0 + ($1[sku] ?? 0) }
            #expect(try await storage.onHand(sku) == Quantity(units: expected))
            // And every chain, ordered by id, runs unbroken to that on-hand, and so does the audit log
            let chain = movements.filter { $0.sku.value == sku }.sorted { $0.id < $1.id }
            #expect(chain.last?.balanceAfter == Quantity(units: expected))
        }
        #expect(try await storage.verifyLedger().isIntact)
        #expect(try await storage.verifyAuditLog().isIntact)
    }

    func replaysAnIdempotentRequestOnce() async throws {
        try await storage.createProduct(Fixtures.draft("TEA-250G", unit: .pack))
        try await storage.record(Fixtures.command("TEA-250G", .stockIn, "5"))
        let sale = try Fixtures.batch([Fixtures.command("TEA-250G", .sale, "2")], key: "till-7-0001", hash: "h1")

        let first = try await storage.recordMovements(sale)
        let retry = try await storage.recordMovements(sale)

        #expect(first.replayed == false)
        #expect(retry.replayed == true)
        #expect(retry.movements == first.movements)
        #expect(try await storage.onHand("TEA-250G") == Fixtures.quantity("3"))
        #expect(try await storage.allMovements().count == 2)
        // The same key for a different request is refused and changes nothing.
        let other = try Fixtures.batch([Fixtures.command("TEA-250G", .sale, "1")], key: "till-7-0001", hash: "h2")
        await expectError(.idempotencyKeyReused(key: "till-7-0001")) { _ = try await storage.recordMovements(other) }
        #expect(try await storage.onHand("TEA-250G") == Fixtures.quantity("3"))
    }

    func appliesABatchAllOrNothing() async throws {
        try await storage.createProduct(Fixtures.draft("SALT-1KG"))
        try await storage.createProduct(Fixtures.draft("RICE-LOOSE", unit: .kg))
        try await storage.record(Fixtures.command("SALT-1KG", .stockIn, "3"))
        let lines = [
            try Fixtures.command("RICE-LOOSE", .stockIn, "25"),
            try Fixtures.command("SALT-1KG", .sale, "2"),
            try Fixtures.command("SALT-1KG", .sale, "2"),
        ]

        // When the third line oversells, nothing of the batch is stored, not even its key
        await expectError(
            .insufficientStock(
                sku: "SALT-1KG", storeID: 1, requested: Fixtures.quantity("2"),
                available: Fixtures.quantity("1"))
        ) {
            _ = try await storage.recordMovements(Fixtures.batch(lines, key: "upload-1", hash: "a"))
        }
        #expect(try await storage.onHand("SALT-1KG") == Fixtures.quantity("3"))
        #expect(try await storage.onHand("RICE-LOOSE") == .zero)
        #expect(try await storage.allMovements().count == 1)

        // Then a corrected batch under the same key applies every line, in order
        let fixed = try await storage.recordMovements(
            Fixtures.batch(Array(lines.prefix(2)), key: "upload-1", hash: "b"))
        #expect(fixed.movements.map(\.sku.value) == ["RICE-LOOSE", "SALT-1KG"])
        #expect(fixed.movements.map(\.idempotencyKey) == ["upload-1", "upload-1"])
        #expect(try await storage.onHand("SALT-1KG") == Fixtures.quantity("1"))
        #expect(try await storage.onHand("RICE-LOOSE") == Fixtures.quantity("25"))
    }

    func requiresWholeQuantitiesForPiecesAndPacks() async throws {
        try await storage.createProduct(Fixtures.draft("EGG", unit: .piece))
        try await storage.createProduct(Fixtures.draft("BISCUIT", unit: .pack))
        try await storage.createProduct(Fixtures.draft("GHEE", unit: .ml))
        let refused = InventoryError.invalidField(
            name: "quantity", reason: "EGG is counted in pieces: use a whole number, not 1.5")

        await expectError(refused) { try await storage.record(Fixtures.command("EGG", .stockIn, "1.5")) }
        await expectError(
            .invalidField(name: "quantity", reason: "BISCUIT is counted in packs: use a whole number, not 0.001")
        ) {
            try await storage.record(Fixtures.command("BISCUIT", .stockIn, "0.001"))
        }
        #expect(
            try await storage.record(Fixtures.command("EGG", .stockIn, "30")).balanceAfter == Fixtures.quantity("30"))
        #expect(try await storage.record(Fixtures.command("GHEE", .stockIn, "0.001")).balanceAfter.thousandths == 1)
    }

    func capsOnHand() async throws {
        try await storage.createProduct(Fixtures.draft("FLOUR-BULK", unit: .kg))
        let maximum = String(Limits.quantityUnitsMax)
        let fill = try (0..<500).map { _ in try Fixtures.command("FLOUR-BULK", .stockIn, maximum) }
        _ = try await storage.recordMovements(Fixtures.batch(fill))
        _ = try await storage.recordMovements(Fixtures.batch(fill))
        #expect(try await storage.onHand("FLOUR-BULK") == Quantity(units: Limits.onHandUnitsMax))

        await expectError(
            .stockLimitExceeded(sku: "FLOUR-BULK", storeID: 1, limit: Quantity(units: Limits.onHandUnitsMax))
        ) {
            try await storage.record(Fixtures.command("FLOUR-BULK", .stockIn, "0.001"))
        }
    }

    func refusesUnknownReferences() async throws {
        try await storage.createProduct(Fixtures.draft("JAM"))
        await expectError(.storeNotFound(id: 99)) {
            _ = try await storage.recordMovements(
                MovementBatch(storeID: 99, commands: [Fixtures.command("JAM", .stockIn, "1")]))
        }
        await expectError(.productNotFound(reference: "SKU NOPE")) {
            try await storage.record(Fixtures.command("NOPE", .stockIn, "1"))
        }
        await expectError(.productNotFound(reference: "SKU NOPE-B")) {
            _ = try await storage.recordMovements(
                Fixtures.batch([
                    Fixtures.command("JAM", .stockIn, "1"), Fixtures.command("NOPE-B", .stockIn, "1"),
                    Fixtures.command("NOPE-A", .stockIn, "1"),
                ]))
        }
        await expectError(.supplierNotFound(id: 42)) {
            try await storage.record(Fixtures.command("JAM", .stockIn, "1", supplierID: 42))
        }
        await expectError(.storeNotFound(id: 99)) { _ = try await storage.stockLevel(storeID: 99, product: .id(1)) }
        await expectError(.storeNotFound(id: 99)) {
            _ = try await storage.stockLevels(StockQuery(storeID: 99, page: PageRequest()))
        }
        #expect(try await storage.allMovements().isEmpty)
    }

    func listsStockWithReorderLevels() async throws {
        try await storage.createProduct(Fixtures.draft("MILK", unit: .pack))
        try await storage.createProduct(Fixtures.draft("CURD", unit: .kg))
        try await storage.createProduct(Fixtures.draft("BREAD"))
        try await storage.record(Fixtures.command("MILK", .stockIn, "12"))
        try await storage.record(Fixtures.command("CURD", .stockIn, "2.5"))

        _ = try await storage.setReorderLevel(storeID: 1, product: .sku(SKU("MILK")), level: Fixtures.quantity("12"))
        _ = try await storage.setReorderLevel(storeID: 1, product: .sku(SKU("CURD")), level: Fixtures.quantity("2.4"))
        let bread = try await storage.setReorderLevel(storeID: 1, product: .sku(SKU("BREAD")), level: .zero)

        let all = try await storage.stockLevels(StockQuery(storeID: 1, page: PageRequest())).items
        #expect(all.map(\.product.sku.value) == ["MILK", "CURD", "BREAD"])
        #expect(all.map(\.onHand.description) == ["12", "2.5", "0"])
        #expect(all.map(\.isLow) == [true, false, true])
        #expect(bread.isLow && bread.onHand == .zero)
        let low = try await storage.stockLevels(StockQuery(storeID: 1, lowStockOnly: true, page: PageRequest())).items
        #expect(low.map(\.product.sku.value) == ["MILK", "BREAD"])

        let cleared = try await storage.setReorderLevel(storeID: 1, product: .sku(SKU("MILK")), level: nil)
        #expect(cleared.reorderLevel == nil && !cleared.isLow && cleared.onHand == Fixtures.quantity("12"))
        await expectError(.invalidField(name: "reorder_level", reason: "MILK is counted in whole packs")) {
            _ = try await storage.setReorderLevel(
                storeID: 1, product: .sku(SKU("MILK")), level: Fixtures.quantity("1.5"))
        }
        await expectError(.invalidField(name: "reorder_level", reason: "must be zero or more")) {
            _ = try await storage.setReorderLevel(
                storeID: 1, product: .sku(SKU("CURD")), level: Fixtures.quantity("-1"))
        }
    }

    func verifiesAnIntactLedger() async throws {
        #expect(try await storage.verifyLedger() == LedgerVerification())
        try await storage.createProduct(Fixtures.draft("A"))
        try await storage.createProduct(Fixtures.draft("B"))
        try await storage.record(Fixtures.command("A", .stockIn, "5"))
        try await storage.record(Fixtures.command("B", .stockIn, "5"))
        try await storage.record(Fixtures.command("A", .sale, "5"))
        try await storage.record(Fixtures.command("B", .count, "2"))

        let result = try await storage.verifyLedger()
        #expect(result.isIntact)
        #expect(result.movementsChecked == 4)
        #expect(result.chainsChecked == 2)
    }
}

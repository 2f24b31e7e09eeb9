import Foundation
import InventoryCore
import Testing

/// The ledger rules: which fields each kind takes, and how each kind changes on-hand.
@Suite struct LedgerTests {
    let now = Date(unixMilliseconds: 1_790_000_000_000)
    let rice = Product(
        id: 1, sku: try! SKU("RICE"), name: "Rice", unit: .kg, barcode: nil, salePrice: Money(paise: 6000),
        active: true, createdAt: .distantPast, updatedAt: .distantPast)

    func posting(_ kind: MovementKind, _ quantity: String, reason: String? = nil, onHand: String) throws
        -> Ledger.Posting
    {
        let command = try MovementCommand(
            product: .id(1), kind: kind, quantity: Quantity(parsing: quantity), reason: reason)
        return try Ledger.posting(command, product: rice, storeID: 1, onHand: Quantity(parsing: onHand), now: now)
    }

    @Test(
        arguments: [
            (MovementKind.stockIn, "5", nil, "2", "5", "7"),
            (.sale, "1.5", nil, "2", "-1.5", "0.5"),
            (.sale, "2", nil, "2", "-2", "0"),
            (.removal, "0.25", "damaged", "1", "-0.25", "0.75"),
            (.adjustment, "-1", "miscount", "1", "-1", "0"),
            (.adjustment, "3", "found", "0", "3", "3"),
            (.count, "4", nil, "7", "-3", "4"),
            (.count, "0", nil, "7", "-7", "0"),
            (.count, "7", nil, "7", "0", "7"),
            (.count, "9", "annual count", "7", "2", "9"),
        ] as [(MovementKind, String, String?, String, String, String)])
    func postsEachKind(
        kind: MovementKind, quantity: String, reason: String?, onHand: String, delta: String, after: String
    )
        throws
    {
        let result = try posting(kind, quantity, reason: reason, onHand: onHand)
        #expect(result.delta.description == delta)
        #expect(result.balanceAfter.description == after)
    }

    @Test func refusesToGoBelowZeroAndSaysWhatIsAvailable() {
        #expect(
            throws: InventoryError.insufficientStock(
                sku: "RICE", storeID: 1, requested: try! Quantity(parsing: "2.001"),
                available: try! Quantity(parsing: "2"))
        ) {
            try posting(.sale, "2.001", onHand: "2")
        }
        #expect(throws: InventoryError.self) { try posting(.adjustment, "-3", reason: "x", onHand: "2") }
    }

    @Test func salesDefaultToTheProductPriceAndTimesToNow() throws {
        let result = try posting(.sale, "1", onHand: "1")
        #expect(result.unitPrice == Money(paise: 6000))
        #expect(result.occurredAt == now)
        let later = now.addingTimeInterval(2 * 86_400)
        let command = try MovementCommand(
            product: .id(1), kind: .stockIn, quantity: Quantity(units: 1), occurredAt: later)
        #expect(throws: InventoryError.invalidField(name: "occurred_at", reason: "lies too far in the future")) {
            try Ledger.posting(command, product: rice, storeID: 1, onHand: .zero, now: now)
        }
    }

    @Test(arguments: [
        (MovementKind.stockIn, "0", nil as String?, "quantity"), (.sale, "-1", nil, "quantity"),
        (.removal, "1", nil, "reason"),
        (.removal, "1", "stolen", "reason"), (.adjustment, "0", "x", "quantity"), (.adjustment, "1", nil, "reason"),
        (.count, "-1", nil, "quantity"), (.sale, "1", "because", "reason"), (.stockIn, "1", "because", "reason"),
    ])
    func refusesFieldsThatDoNotFitTheKind(kind: MovementKind, quantity: String, reason: String?, field: String) {
        #expect {
            try MovementCommand(product: .id(1), kind: kind, quantity: Quantity(parsing: quantity), reason: reason)
        } throws: { error in
            guard case InventoryError.invalidField(let name, _) = error else { return false }
            return name == field
        }
    }

    @Test func supplierCostAndPriceBelongToTheirKinds() throws {
        let one = Quantity(units: 1)
        #expect(throws: InventoryError.self) {
            try MovementCommand(product: .id(1), kind: .sale, quantity: one, supplierID: 1)
        }
        #expect(throws: InventoryError.self) {
            try MovementCommand(product: .id(1), kind: .sale, quantity: one, unitCost: Money(paise: 1))
        }
        #expect(throws: InventoryError.self) {
            try MovementCommand(product: .id(1), kind: .stockIn, quantity: one, unitPrice: Money(paise: 1))
        }
        _ = try MovementCommand(
            product: .id(1), kind: .stockIn, quantity: one, supplierID: 1, unitCost: Money(paise: 1))
    }

    @Test func batchesAreBounded() throws {
        let sale = try MovementCommand(product: .id(1), kind: .sale, quantity: Quantity(units: 1))
        #expect(throws: InventoryError.self) { try MovementBatch(storeID: 1, commands: []) }
        #expect(throws: InventoryError.self) {
            try MovementBatch(storeID: 1, commands: Array(repeating: sale, count: 501))
        }
        #expect(try MovementBatch(storeID: 1, commands: Array(repeating: sale, count: 500)).commands.count == 500)
        #expect(throws: InventoryError.self) { try IdempotencyClaim(key: "has space", requestHash: "h") }
        #expect(throws: InventoryError.self) {
            try IdempotencyClaim(key: String(repeating: "k", count: 129), requestHash: "h")
        }
        #expect(try IdempotencyClaim(key: String(repeating: "k", count: 128), requestHash: "h").key.count == 128)
    }

    @Test func verifierFindsEveryKindOfBreak() {
        var verifier = LedgerVerifier()
        let q = { (units: Int64) in Quantity(units: units) }
        verifier.observe(storeID: 1, productID: 1, movementID: 1, delta: q(5), balanceAfter: q(5), onHand: q(4))
        verifier.observe(storeID: 1, productID: 1, movementID: 2, delta: q(-1), balanceAfter: q(4), onHand: q(4))
        verifier.observe(storeID: 1, productID: 2, movementID: 3, delta: q(2), balanceAfter: q(3), onHand: q(2))
        verifier.observe(storeID: 1, productID: 3, movementID: 4, delta: q(-1), balanceAfter: q(-1), onHand: q(0))
        verifier.observeStockWithoutMovements(storeID: 2, productID: 1, onHand: q(6))
        let result = verifier.finish()
        #expect(result.chainsChecked == 3 && result.movementsChecked == 4)
        #expect(result.breakCount == 5)
        #expect(
            result.breaks.map(\.description) == [
                "store 1, product 2, movement 3: balance_after is 3, the chain says 2",
                "store 1, product 2: on-hand is 2, the ledger sums to 3",
                "store 1, product 3, movement 4: balance -1 is below zero",
                "store 2, product 1: on-hand is 6, the ledger sums to 0",
                "store 1, product 3: on-hand is 0, the ledger sums to -1",
            ])
    }
}

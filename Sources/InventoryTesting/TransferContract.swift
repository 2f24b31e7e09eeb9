import Foundation
import InventoryCore
import Testing

/// Transfers every backend must apply whole or not at all, also when they cross.
public struct TransferContract<
    Storage: LocationWriter & CatalogWriter & LedgerReader & LedgerWriter & StorageMaintenance
>: Sendable {
    /// One named check; each runs on a fresh database.
    public enum Check: String, ContractCheck {
        case transfersStockBetweenStores
        case crossingTransfersRunConcurrently
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
        case .transfersStockBetweenStores: try await transfersStockBetweenStores()
        case .crossingTransfersRunConcurrently: try await crossingTransfersRunConcurrently()
        }
    }
}

extension TransferContract {
    func transfersStockBetweenStores() async throws {
        // Given a warehouse-like main store and a second store
        let branch = try await storage.createStore(StoreDraft(code: "BR-1", name: "Branch", cityID: nil, address: nil))
        try await storage.createProduct(Fixtures.draft("RICE", unit: .kg))
        try await storage.createProduct(Fixtures.draft("OIL", unit: .l))
        try await storage.record(Fixtures.command("RICE", .stockIn, "50"))
        try await storage.record(Fixtures.command("OIL", .stockIn, "4"))
        let line = { (sku: String, quantity: String) in
            try TransferRequest.Line(product: .sku(SKU(sku)), quantity: Fixtures.quantity(quantity))
        }

        // When a transfer lacks one line, nothing moves
        let short = try TransferRequest(
            fromStoreID: 1, toStoreID: branch.id, lines: [line("RICE", "10"), line("OIL", "5")], note: nil)
        await expectError(
            .insufficientStock(
                sku: "OIL", storeID: 1, requested: Fixtures.quantity("5"), available: Fixtures.quantity("4"))
        ) {
            _ = try await storage.transferStock(short)
        }
        #expect(try await storage.onHand("RICE") == Fixtures.quantity("50"))
        #expect(try await storage.transfers(TransferQuery(scope: .all, page: PageRequest())).items.isEmpty)

        // Then a transfer of every line moves each atomically, linked by the transfer
        var request = try TransferRequest(
            fromStoreID: 1, toStoreID: branch.id, lines: [line("RICE", "12.5"), line("OIL", "4"), line("RICE", "0.5")],
            note: "weekly restock")
        request.idempotency = try IdempotencyClaim(key: "transfer-1", requestHash: "t1")
        let recorded = try await storage.transferStock(request)
        #expect(!recorded.replayed)
        let transfer = recorded.transfer
        #expect(transfer.lines.map { "\($0.sku) \($0.quantity)" } == ["RICE 12.5", "OIL 4", "RICE 0.5"])
        #expect(try await storage.onHand("RICE") == Fixtures.quantity("37"))
        #expect(try await storage.onHand("OIL") == .zero)
        let atBranch = try await storage.stockLevel(storeID: branch.id, product: .sku(SKU("RICE")))
        #expect(atBranch.onHand == Fixtures.quantity("13"))
        let moves = try await storage.movements(MovementQuery(scope: .all, storeID: branch.id, page: PageRequest()))
            .items
        #expect(
            moves.allSatisfy { $0.kind == .transferIn && $0.transferID == transfer.id && $0.note == "weekly restock" })
        let outs = try await storage.movements(
            MovementQuery(scope: .all, storeID: 1, kind: .transferOut, page: PageRequest())
        ).items
        #expect(outs.map(\.delta.description) == ["-0.5", "-4", "-12.5"])
        #expect(try await storage.transfer(id: transfer.id) == transfer)

        // A retry answers the same transfer and moves nothing; the key cannot serve another request
        let retry = try await storage.transferStock(request)
        #expect(retry.replayed && retry.transfer == transfer)
        #expect(try await storage.onHand("RICE") == Fixtures.quantity("37"))
        var other = request
        other.idempotency = try IdempotencyClaim(key: "transfer-1", requestHash: "different")
        await expectError(.idempotencyKeyReused(key: "transfer-1")) { _ = try await storage.transferStock(other) }
        _ = try await storage.recordMovements(
            Fixtures.batch([Fixtures.command("RICE", .sale, "1")], key: "sale-1", hash: "s"))
        var reusesSaleKey = request
        reusesSaleKey.idempotency = try IdempotencyClaim(key: "sale-1", requestHash: "s")
        await expectError(.idempotencyKeyReused(key: "sale-1")) { _ = try await storage.transferStock(reusesSaleKey) }

        // Transfers list newest first, by either store
        let back = try await storage.transferStock(
            TransferRequest(fromStoreID: branch.id, toStoreID: 1, lines: [line("RICE", "3")], note: nil))
        #expect(
            try await storage.transfers(TransferQuery(scope: .all, storeID: branch.id, page: PageRequest())).items.map(
                \.id)
                == [back.transfer.id, transfer.id])
        let firstPage = try await storage.transfers(TransferQuery(scope: .all, page: PageRequest(limit: 1)))
        #expect(firstPage.items.map(\.id) == [back.transfer.id])
        #expect(
            try await storage.transfers(
                TransferQuery(scope: .all, page: PageRequest(limit: 1, cursor: firstPage.nextCursor))
            ).items.map(\.id)
                == [transfer.id])
        await expectError(.transferNotFound(id: 999)) { _ = try await storage.transfer(id: 999) }
        await expectError(.storeNotFound(id: 999)) {
            _ = try await storage.transferStock(
                TransferRequest(fromStoreID: 1, toStoreID: 999, lines: [line("RICE", "1")], note: nil))
        }
        #expect(try await storage.verifyLedger().isIntact)
    }

    func crossingTransfersRunConcurrently() async throws {
        // Two stores send each other the same two products at the same time, many times over.
        let other = try await storage.createStore(StoreDraft(code: "B", name: "B", cityID: nil, address: nil))
        try await storage.createProduct(Fixtures.draft("P1"))
        try await storage.createProduct(Fixtures.draft("P2"))
        for (storeID, sku) in [(Int64(1), "P1"), (1, "P2"), (other.id, "P1"), (other.id, "P2")] {
            _ = try await storage.recordMovements(
                MovementBatch(storeID: storeID, commands: [Fixtures.command(sku, .stockIn, "10")]))
        }
        let storage = self.storage
        // Each task answers which way it sent, or nil when the sender had run out.
        let outcomes = try await withThrowingTaskGroup(of: Bool?.self) { group in
            for index in 0..<30 {
                let outward = index.isMultiple(of: 2)
                let (from, to) = outward ? (Int64(1), other.id) : (other.id, Int64(1))
                let lines = outward ? ["P1", "P2"] : ["P2", "P1"]
                group.addTask {
                    let request = try TransferRequest(
                        fromStoreID: from, toStoreID: to,
                        lines: lines.map {
                            try TransferRequest.Line(product: .sku(SKU($0)), quantity: Quantity(units: 1))
                        },
                        note: nil)
                    do {
                        _ = try await storage.transferStock(request)
                        return outward
                    } catch InventoryError.insufficientStock {
                        return nil
                    }
                }
            }
            return try await group.reduce(into: [Bool?]()) { $0.append($1) }
        }
        // Each side starts with 10, so at least its first 10 sends cannot run short.
        let outward = outcomes.filter { $0 == true }.count
        let inward = outcomes.filter { $0 == false }.count
        #expect(outward >= 10 && inward >= 10)
        // Whatever the interleaving, each store holds exactly what the successful transfers left it,
        // nothing was created or lost, and every transfer wrote a movement per line in each store.
        for sku in ["P1", "P2"] {
            let stock = try await storage.productStock(.sku(SKU(sku)), page: PageRequest()).items
            let byStore = Dictionary(uniqueKeysWithValues: stock.map { ($0.storeID, $0.onHand) })
            #expect(byStore[1] == Quantity(units: Int64(10 - outward + inward)))
            #expect(byStore[other.id] == Quantity(units: Int64(10 + outward - inward)))
        }
        for storeID in [1, other.id] {
            let movements = try await storage.movements(
                MovementQuery(scope: .all, storeID: storeID, page: PageRequest(limit: Limits.pageSizeMax)))
            #expect(movements.items.count == 2 + 2 * (outward + inward))
        }
        #expect(try await storage.verifyLedger().isIntact)
    }
}

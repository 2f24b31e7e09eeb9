import Foundation
import InventoryCore
import Testing

/// The catalog behaviour every backend must show: products, their rules, listings and deletion.
public struct CatalogContract<
    Storage: CatalogReader & CatalogWriter & LocationReader & LedgerReader & LedgerWriter & StorageMaintenance
>: Sendable {
    /// One named check; each runs on a fresh database.
    public enum Check: String, ContractCheck {
        case enforcesCatalogRules
        case softDeletesProducts
        case paginatesAndFiltersListings
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
        case .enforcesCatalogRules: try await enforcesCatalogRules()
        case .softDeletesProducts: try await softDeletesProducts()
        case .paginatesAndFiltersListings: try await paginatesAndFiltersListings()
        }
    }
}

extension CatalogContract {
    func enforcesCatalogRules() async throws {
        // Given a product with a barcode
        let soap = try await storage.createProduct(Fixtures.draft(" lux-100g ", barcode: "8901030865278", price: "42"))
        #expect(soap.sku.value == "LUX-100G")
        #expect(soap.salePrice == Money(paise: 4200))

        // Then its SKU and barcode are unique, ignoring case, and it is found by either
        await expectError(.duplicateSKU(try SKU("LUX-100G"))) {
            _ = try await storage.createProduct(Fixtures.draft("Lux-100G"))
        }
        await expectError(.duplicateBarcode("8901030865278")) {
            _ = try await storage.createProduct(Fixtures.draft("OTHER", barcode: "8901030865278"))
        }
        #expect(try await storage.product(.id(soap.id)) == soap)
        #expect(try await storage.product(.sku(SKU("lux-100g"))) == soap)
        #expect(try await storage.product(.barcode("8901030865278")) == soap)

        // When it is updated, fields change and nil-able ones clear
        let changed = try await storage.updateProduct(
            .id(soap.id),
            changes: ProductChanges(
                name: "Lux soap 100 g", unit: .pack, barcode: .some(nil), salePrice: .some(nil),
                active: false))
        #expect(changed.name == "Lux soap 100 g")
        #expect(changed.unit == .pack && changed.barcode == nil && changed.salePrice == nil && !changed.active)
        #expect(changed.updatedAt >= soap.updatedAt)
        #expect(try await storage.product(.id(soap.id)) == changed)

        // and an update cannot take another product's SKU, nor change the unit once stock has moved
        let other = try await storage.createProduct(Fixtures.draft("OTHER"))
        await expectError(.duplicateSKU(try SKU("LUX-100G"))) {
            _ = try await storage.updateProduct(.id(other.id), changes: ProductChanges(sku: SKU("lux-100g")))
        }
        try await storage.record(Fixtures.command("OTHER", .stockIn, "1"))
        await expectError(
            .invalidField(name: "unit", reason: "cannot change the unit of a product that already has movements")
        ) {
            _ = try await storage.updateProduct(.id(other.id), changes: ProductChanges(unit: .kg))
        }
        let renamed = try await storage.updateProduct(.sku(SKU("OTHER")), changes: ProductChanges(sku: SKU("OTHER-2")))
        #expect(renamed.sku.value == "OTHER-2")
        #expect(try await storage.allMovements().first?.sku.value == "OTHER-2")
    }

    func softDeletesProducts() async throws {
        let jam = try await storage.createProduct(Fixtures.draft("JAM", barcode: "123456"))
        try await storage.record(Fixtures.command("JAM", .stockIn, "2"))

        // A product still in stock cannot be deleted
        await expectError(.productHasStock(sku: "JAM", onHand: Fixtures.quantity("2"))) {
            try await storage.deleteProduct(.sku(SKU("JAM")))
        }
        // Once counted to zero it can; it leaves lookups and listings but keeps its history
        try await storage.record(Fixtures.command("JAM", .count, "0"))
        try await storage.deleteProduct(.id(jam.id))
        await expectError(.productNotFound(reference: "id \(jam.id)")) { _ = try await storage.product(.id(jam.id)) }
        await expectError(.productNotFound(reference: "SKU JAM")) {
            try await storage.record(Fixtures.command("JAM", .stockIn, "1"))
        }
        #expect(try await storage.listProducts(ProductQuery(page: PageRequest())).items.isEmpty)
        #expect(
            try await storage.listProducts(ProductQuery(includeDeleted: true, page: PageRequest())).items.map(\.id) == [
                jam.id
            ])
        #expect(try await storage.stockLevels(StockQuery(storeID: 1, page: PageRequest())).items.isEmpty)
        let history = try await storage.movements(MovementQuery(scope: .all, product: .id(jam.id), page: PageRequest()))
            .items
        #expect(history.count == 2)

        // The SKU and barcode are free for a new product, whose history starts empty
        let again = try await storage.createProduct(Fixtures.draft("jam", barcode: "123456"))
        #expect(again.id != jam.id)
        #expect(try await storage.onHand("JAM") == .zero)
        #expect(
            try await storage.movements(MovementQuery(scope: .all, product: .id(again.id), page: PageRequest())).items
                .isEmpty)
        #expect(try await storage.verifyLedger().isIntact)
    }

    func paginatesAndFiltersListings() async throws {
        // Given seven products and a history across two days
        for index in 1...7 {
            try await storage.createProduct(Fixtures.draft("ITEM-\(index)", unit: .kg))
        }
        let supplier = try await storage.createSupplier(SupplierDraft(name: "Mehta Wholesale", phone: nil))
        let day1 = Date(unixMilliseconds: 1_790_000_000_000)
        let day2 = day1.addingTimeInterval(86_400)
        try await storage.record(Fixtures.command("ITEM-1", .stockIn, "10", supplierID: supplier.id, occurredAt: day1))
        try await storage.record(Fixtures.command("ITEM-2", .stockIn, "10", occurredAt: day1))
        try await storage.record(Fixtures.command("ITEM-1", .sale, "1", occurredAt: day2))
        try await storage.record(Fixtures.command("ITEM-1", .sale, "2", occurredAt: day2))

        // Products page by cursor
        var pages: [[String]] = []
        var cursor: String?
        repeat {
            let page = try await storage.listProducts(ProductQuery(page: PageRequest(limit: 3, cursor: cursor)))
            pages.append(page.items.map(\.sku.value))
            cursor = page.nextCursor
        } while cursor != nil
        #expect(pages == [["ITEM-1", "ITEM-2", "ITEM-3"], ["ITEM-4", "ITEM-5", "ITEM-6"], ["ITEM-7"]])
        #expect(try await storage.listProducts(ProductQuery(search: "item-7", page: PageRequest())).items.count == 1)
        #expect(
            try await storage.listProducts(ProductQuery(search: "product item-", page: PageRequest())).items.count == 7)
        #expect(try await storage.listProducts(ProductQuery(search: "%", page: PageRequest())).items.isEmpty)

        // Movements come newest first and filter by product, kind, supplier and time
        func skusAndDeltas(_ query: MovementQuery) async throws -> [String] {
            try await storage.movements(query).items.map { "\($0.sku) \($0.delta)" }
        }
        #expect(
            try await skusAndDeltas(MovementQuery(scope: .all, page: PageRequest())) == [
                "ITEM-1 -2", "ITEM-1 -1", "ITEM-2 10", "ITEM-1 10",
            ])
        #expect(
            try await skusAndDeltas(
                MovementQuery(scope: .all, product: .sku(SKU("ITEM-1")), kind: .sale, page: PageRequest()))
                == ["ITEM-1 -2", "ITEM-1 -1"])
        #expect(
            try await skusAndDeltas(MovementQuery(scope: .all, supplierID: supplier.id, page: PageRequest())) == [
                "ITEM-1 10"
            ])
        #expect(
            try await skusAndDeltas(MovementQuery(scope: .all, from: day2, page: PageRequest())) == [
                "ITEM-1 -2", "ITEM-1 -1",
            ])
        #expect(
            try await skusAndDeltas(MovementQuery(scope: .all, to: day2, page: PageRequest())) == [
                "ITEM-2 10", "ITEM-1 10",
            ])
        #expect(try await skusAndDeltas(MovementQuery(scope: .all, storeID: 2, page: PageRequest())).isEmpty)
        let first = try await storage.movements(MovementQuery(scope: .all, page: PageRequest(limit: 3)))
        let rest = try await storage.movements(
            MovementQuery(scope: .all, page: PageRequest(limit: 3, cursor: first.nextCursor)))
        #expect(first.items.count == 3 && rest.items.count == 1 && rest.nextCursor == nil)
        #expect(rest.items[0].id < first.items[2].id)

        // Suppliers page too
        try await storage.createSupplier(SupplierDraft(name: "Second", phone: "+91 22 5555 0000"))
        let suppliers = try await storage.listSuppliers(DirectoryQuery(page: PageRequest(limit: 1)))
        #expect(suppliers.items.map(\.name) == ["Mehta Wholesale"])
        let next = try await storage.listSuppliers(
            DirectoryQuery(page: PageRequest(limit: 1, cursor: suppliers.nextCursor)))
        #expect(next.items.map(\.name) == ["Second"])
        #expect(try await storage.listStores(StoreQuery(scope: .all, page: PageRequest())).items.map(\.id) == [1])
    }
}

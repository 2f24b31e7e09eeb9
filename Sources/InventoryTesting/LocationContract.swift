import Foundation
import InventoryCore
import Testing

/// Cities, stores and suppliers every backend must manage alike.
public struct LocationContract<
    Storage: LocationReader & LocationWriter & CatalogReader & CatalogWriter & LedgerReader & LedgerWriter
>: Sendable {
    /// One named check; each runs on a fresh database.
    public enum Check: String, ContractCheck {
        case managesCitiesAndStores
        case managesSuppliersAndTheirProducts
        case showsAProductAcrossStores
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
        case .managesCitiesAndStores: try await managesCitiesAndStores()
        case .managesSuppliersAndTheirProducts: try await managesSuppliersAndTheirProducts()
        case .showsAProductAcrossStores: try await showsAProductAcrossStores()
        }
    }
}

extension LocationContract {
    func managesCitiesAndStores() async throws {
        // Given two cities
        let pune = try await storage.createCity(CityDraft(name: "Pune", state: "Maharashtra"))
        let indore = try await storage.createCity(CityDraft(name: "Indore", state: "Madhya Pradesh"))
        await expectError(.duplicateCity(name: "Pune")) {
            try await storage.createCity(CityDraft(name: "Pune", state: "Maharashtra"))
        }
        try await storage.createCity(CityDraft(name: "Aurangabad", state: "Bihar"))
        #expect(try await storage.updateCity(id: indore.id, changes: CityChanges(state: .some(nil))).state == nil)
        await expectError(.duplicateCity(name: "Pune")) {
            _ = try await storage.updateCity(
                id: indore.id, changes: CityChanges(name: "Pune", state: .some("Maharashtra")))
        }

        // When stores open in them
        let kothrud = try await storage.createStore(
            StoreDraft(code: "pun-01", name: "Kothrud", cityID: pune.id, address: "Paud Road"))
        let baner = try await storage.createStore(
            StoreDraft(code: "PUN-02", name: "Baner", cityID: pune.id, address: nil))
        let vijay = try await storage.createStore(
            StoreDraft(code: "IDR-01", name: "Vijay Nagar", cityID: indore.id, address: nil, active: false))
        #expect(
            kothrud.code == "PUN-01" && kothrud.cityID == pune.id && kothrud.active && kothrud.address == "Paud Road")
        await expectError(.duplicateStoreCode("PUN-01")) {
            try await storage.createStore(StoreDraft(code: "PUN-01", name: "Again", cityID: nil, address: nil))
        }
        await expectError(.cityNotFound(id: 999)) {
            try await storage.createStore(StoreDraft(code: "X-1", name: "Nowhere", cityID: 999, address: nil))
        }

        // Then they list by city and activity, and change
        func codes(_ query: StoreQuery) async throws -> [String] {
            try await storage.listStores(query).items.map(\.code)
        }
        #expect(try await codes(StoreQuery(scope: .all, cityID: pune.id, page: PageRequest())) == ["PUN-01", "PUN-02"])
        #expect(try await codes(StoreQuery(scope: .all, active: false, page: PageRequest())) == ["IDR-01"])
        let moved = try await storage.updateStore(
            id: vijay.id, changes: StoreChanges(cityID: .some(pune.id), address: .some("AB Road"), active: true))
        #expect(moved.cityID == pune.id && moved.address == "AB Road" && moved.active && moved.code == "IDR-01")
        #expect(try await storage.store(id: vijay.id) == moved)

        // A store holding stock cannot be deleted; an empty one can, and then takes no movements
        try await storage.createProduct(Fixtures.draft("ATTA"))
        _ = try await storage.recordMovements(
            MovementBatch(storeID: baner.id, commands: [Fixtures.command("ATTA", .stockIn, "2")]))
        await expectError(.storeHasStock(storeID: baner.id)) { try await storage.deleteStore(id: baner.id) }
        try await storage.deleteStore(id: kothrud.id)
        await expectError(.storeNotFound(id: kothrud.id)) { _ = try await storage.store(id: kothrud.id) }
        await expectError(.storeNotFound(id: kothrud.id)) {
            _ = try await storage.recordMovements(
                MovementBatch(storeID: kothrud.id, commands: [Fixtures.command("ATTA", .stockIn, "1")]))
        }
        #expect(try await codes(StoreQuery(scope: .all, cityID: pune.id, page: PageRequest())) == ["PUN-02", "IDR-01"])
        let withDeleted = try await storage.listStores(
            StoreQuery(scope: .all, cityID: pune.id, includeDeleted: true, page: PageRequest())
        ).items
        #expect(withDeleted.map(\.code) == ["PUN-01", "PUN-02", "IDR-01"])
        #expect(withDeleted[0].deletedAt != nil)

        // A deleted city leaves listings and lookups; its stores keep pointing at it
        try await storage.deleteCity(id: pune.id)
        await expectError(.cityNotFound(id: pune.id)) { _ = try await storage.city(id: pune.id) }
        #expect(
            try await storage.listCities(DirectoryQuery(page: PageRequest())).items.map(\.name) == [
                "Indore", "Aurangabad",
            ])
        #expect(
            try await storage.listCities(DirectoryQuery(includeDeleted: true, page: PageRequest(limit: 1))).items.map(
                \.name) == ["Pune"])
        #expect(try await storage.store(id: baner.id).cityID == pune.id)
        // and a new Pune can be added
        #expect(try await storage.createCity(CityDraft(name: "Pune", state: "Maharashtra")).id != pune.id)
    }

    func managesSuppliersAndTheirProducts() async throws {
        let gupta = try await storage.createSupplier(
            SupplierDraft(name: "Gupta Oils", contact: "Ramesh", phone: "98200 11111"))
        let mehta = try await storage.createSupplier(SupplierDraft(name: "Mehta Wholesale", phone: nil))
        let oil = try await storage.createProduct(Fixtures.draft("OIL-1L", unit: .l))
        try await storage.createProduct(Fixtures.draft("GHEE-1L", unit: .l))
        #expect(gupta.contact == "Ramesh" && gupta.active)

        // Links carry terms; one supplier at a time is preferred
        let first = try await storage.linkSupplier(
            product: .sku(SKU("OIL-1L")), supplierID: gupta.id,
            terms: ProductSupplierTerms(
                supplierSKU: "G-OIL-1", costPrice: Money(paise: 14_250), leadTimeDays: 2, preferred: true))
        #expect(first.supplierName == "Gupta Oils" && first.sku.value == "OIL-1L" && first.preferred)
        try await storage.linkSupplier(
            product: .id(oil.id), supplierID: mehta.id,
            terms: ProductSupplierTerms(
                supplierSKU: nil, costPrice: Money(paise: 14_000), leadTimeDays: 5, preferred: true))
        try await storage.linkSupplier(
            product: .sku(SKU("GHEE-1L")), supplierID: mehta.id,
            terms: ProductSupplierTerms(supplierSKU: nil, costPrice: nil, leadTimeDays: nil, preferred: false))
        let oilSuppliers = try await storage.productSuppliers(.id(oil.id))
        #expect(oilSuppliers.map(\.supplierName) == ["Mehta Wholesale", "Gupta Oils"])
        #expect(oilSuppliers.map(\.preferred) == [true, false])
        #expect(oilSuppliers[1].costPrice == Money(paise: 14_250) && oilSuppliers[1].leadTimeDays == 2)
        let mehtaProducts = try await storage.supplierProducts(supplierID: mehta.id, page: PageRequest(limit: 1))
        #expect(mehtaProducts.items.map(\.sku.value) == ["OIL-1L"])
        let rest = try await storage.supplierProducts(
            supplierID: mehta.id, page: PageRequest(limit: 1, cursor: mehtaProducts.nextCursor))
        #expect(rest.items.map(\.sku.value) == ["GHEE-1L"] && rest.nextCursor == nil)

        // Unlinking, and refusing what is not there
        try await storage.unlinkSupplier(product: .id(oil.id), supplierID: mehta.id)
        await expectError(.supplierLinkNotFound(productID: oil.id, supplierID: mehta.id)) {
            try await storage.unlinkSupplier(product: .id(oil.id), supplierID: mehta.id)
        }
        await expectError(.supplierNotFound(id: 999)) {
            try await storage.linkSupplier(
                product: .id(oil.id), supplierID: 999,
                terms: ProductSupplierTerms(supplierSKU: nil, costPrice: nil, leadTimeDays: nil, preferred: false))
        }

        // A changed supplier keeps its id; a deleted one takes no deliveries but stays in history
        let renamed = try await storage.updateSupplier(
            id: gupta.id, changes: SupplierChanges(name: "Gupta Oil Mills", contact: .some(nil)))
        #expect(renamed.name == "Gupta Oil Mills" && renamed.contact == nil && renamed.phone == "98200 11111")
        let delivery = try await storage.record(Fixtures.command("OIL-1L", .stockIn, "12", supplierID: gupta.id))
        try await storage.deleteSupplier(id: gupta.id)
        await expectError(.supplierNotFound(id: gupta.id)) { _ = try await storage.supplier(id: gupta.id) }
        await expectError(.supplierNotFound(id: gupta.id)) {
            try await storage.record(Fixtures.command("OIL-1L", .stockIn, "1", supplierID: gupta.id))
        }
        #expect(try await storage.productSuppliers(.id(oil.id)).isEmpty)
        #expect(try await storage.listSuppliers(DirectoryQuery(page: PageRequest())).items.map(\.id) == [mehta.id])
        #expect(
            try await storage.movements(MovementQuery(scope: .all, supplierID: gupta.id, page: PageRequest())).items
                == [delivery])
    }

    func showsAProductAcrossStores() async throws {
        let second = try await storage.createStore(StoreDraft(code: "S2", name: "Second", cityID: nil, address: nil))
        let third = try await storage.createStore(StoreDraft(code: "S3", name: "Third", cityID: nil, address: nil))
        try await storage.createProduct(Fixtures.draft("SALT"))
        try await storage.record(Fixtures.command("SALT", .stockIn, "4"))
        _ = try await storage.recordMovements(
            MovementBatch(storeID: third.id, commands: [Fixtures.command("SALT", .stockIn, "9")]))
        _ = try await storage.setReorderLevel(
            storeID: second.id, product: .sku(SKU("SALT")), level: Fixtures.quantity("1"))

        let page = try await storage.productStock(.sku(SKU("SALT")), page: PageRequest(limit: 2))
        #expect(page.items.map(\.storeID) == [1, second.id])
        #expect(page.items.map(\.onHand.description) == ["4", "0"])
        #expect(page.items.map(\.isLow) == [false, true])
        let rest = try await storage.productStock(
            .sku(SKU("SALT")), page: PageRequest(limit: 2, cursor: page.nextCursor))
        #expect(rest.items.map(\.onHand.description) == ["9"] && rest.nextCursor == nil)
        await expectError(.productNotFound(reference: "SKU NOPE")) {
            _ = try await storage.productStock(.sku(SKU("NOPE")), page: PageRequest())
        }
    }
}

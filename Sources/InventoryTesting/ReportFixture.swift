import Foundation
import InventoryCore

/// A small chain whose report figures are worked out by hand in `StorageContract+Reports`.
///
/// Cities Pune (stores P1, P2) and Indore (I1); products RICE (kg, ₹60), OIL (l, ₹150), SOAP (piece, ₹40),
/// SALT (no supplier); supplier S-A preferred for RICE at ₹50 and SOAP at ₹30, S-B preferred for OIL at
/// ₹120 and also offering RICE at ₹48. Stock-ins on 1 Nov 2026, sales on 2, 3 and 9 Nov (IST).
public struct ReportFixture: Sendable {
    public var pune: City
    public var indore: City
    public var p1: Store
    public var p2: Store
    public var i1: Store
    public var supplierA: Supplier
    public var supplierB: Supplier
    /// An instant after the stock-ins were recorded and before any sale was.
    public var afterStockIns: Date

    /// The instant `day` November 2026, `hour`:`minute` in India (+05:30).
    public static func ist(day: Int, hour: Int, minute: Int = 0) -> Date {
        // 2026-11-01T00:00:00+05:30 is 2026-10-31T18:30:00Z, 1,793,471,400 s after 1970.
        let seconds: Int = (day - 1) * 86_400 + hour * 3_600 + minute * 60
        return Date(timeIntervalSince1970: TimeInterval(1_793_471_400 + seconds))
    }

    /// Loads the chain into `storage`, which records with `time`.
    public static func load(
        into storage: some CatalogWriter & LocationWriter & LedgerWriter, time: ManualTime
    ) async throws -> ReportFixture {
        let pune = try await storage.createCity(CityDraft(name: "Pune", state: "Maharashtra"))
        let indore = try await storage.createCity(CityDraft(name: "Indore", state: "Madhya Pradesh"))
        let p1 = try await storage.createStore(StoreDraft(code: "P1", name: "Kothrud", cityID: pune.id, address: nil))
        let p2 = try await storage.createStore(StoreDraft(code: "P2", name: "Baner", cityID: pune.id, address: nil))
        let i1 = try await storage.createStore(
            StoreDraft(code: "I1", name: "Vijay Nagar", cityID: indore.id, address: nil))
        try await storage.createProduct(Fixtures.draft("RICE", unit: .kg, price: "60"))
        try await storage.createProduct(Fixtures.draft("OIL", unit: .l, price: "150"))
        try await storage.createProduct(Fixtures.draft("SOAP", unit: .piece, price: "40"))
        try await storage.createProduct(Fixtures.draft("SALT", unit: .kg))
        let supplierA = try await storage.createSupplier(SupplierDraft(name: "S-A", phone: nil))
        let supplierB = try await storage.createSupplier(SupplierDraft(name: "S-B", phone: nil))
        for (sku, supplier, cost, preferred) in [
            ("RICE", supplierA, 5_000, true), ("SOAP", supplierA, 3_000, true), ("OIL", supplierB, 12_000, true),
            ("RICE", supplierB, 4_800, false),
        ] as [(String, Supplier, Int64, Bool)] {
            try await storage.linkSupplier(
                product: .sku(SKU(sku)), supplierID: supplier.id,
                terms: ProductSupplierTerms(
                    supplierSKU: nil, costPrice: Money(paise: cost), leadTimeDays: 3, preferred: preferred))
        }
        let received = ist(day: 1, hour: 9)
        func record(_ store: Store, _ commands: [MovementCommand]) async throws {
            _ = try await storage.recordMovements(MovementBatch(storeID: store.id, commands: commands))
        }
        try await record(
            p1,
            [
                Fixtures.command("RICE", .stockIn, "100", occurredAt: received),
                Fixtures.command("OIL", .stockIn, "20", occurredAt: received),
                Fixtures.command("SOAP", .stockIn, "50", occurredAt: received),
                Fixtures.command("SALT", .stockIn, "5", occurredAt: received),
            ])
        try await record(p2, [Fixtures.command("RICE", .stockIn, "40", occurredAt: received)])
        try await record(i1, [Fixtures.command("SOAP", .stockIn, "10", occurredAt: received)])
        time.advance(by: .seconds(1))
        let afterStockIns = time.now
        time.advance(by: .seconds(1))

        func sale(_ sku: String, _ quantity: String, _ at: Date, price: String? = nil) throws -> MovementCommand {
            try MovementCommand(
                product: .sku(SKU(sku)), kind: .sale, quantity: Quantity(parsing: quantity),
                unitPrice: price.map { try Money(parsing: $0, field: "unit_price") }, occurredAt: at)
        }
        try await record(
            p1,
            [
                sale("RICE", "2.5", ist(day: 2, hour: 10)),
                sale("RICE", "1.25", ist(day: 3, hour: 0, minute: 30)),
                sale("OIL", "2", ist(day: 2, hour: 10), price: "145"),
                sale("SOAP", "1", ist(day: 2, hour: 11), price: "39.99"),
            ])
        try await record(p2, [sale("RICE", "3", ist(day: 9, hour: 10))])
        try await record(i1, [sale("SOAP", "4", ist(day: 3, hour: 10))])
        _ = try await storage.setReorderLevel(storeID: p1.id, product: .sku(SKU("OIL")), level: Quantity(units: 18))
        _ = try await storage.setReorderLevel(storeID: i1.id, product: .sku(SKU("SOAP")), level: Quantity(units: 6))
        _ = try await storage.setReorderLevel(storeID: p2.id, product: .sku(SKU("RICE")), level: Quantity(units: 10))
        return ReportFixture(
            pune: pune, indore: indore, p1: p1, p2: p2, i1: i1, supplierA: supplierA, supplierB: supplierB,
            afterStockIns: afterStockIns)
    }
}

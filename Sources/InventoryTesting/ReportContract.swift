import Foundation
import InventoryCore
import Testing

/// The reports every backend must compute alike, against figures worked out by hand.
public struct ReportContract<Storage: ReportReader & LedgerReader & LedgerWriter & CatalogWriter & LocationWriter>:
    Sendable
{
    /// One named check; each runs on a fresh database.
    public enum Check: String, ContractCheck {
        case reportsMatchHandComputedFigures
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
        case .reportsMatchHandComputedFigures: try await reportsMatchHandComputedFigures()
        }
    }
}

extension ReportContract {
    func reportsMatchHandComputedFigures() async throws {
        let data = try await ReportFixture.load(into: storage, time: time)
        let november = (from: ReportFixture.ist(day: 1, hour: 0), to: ReportFixture.ist(day: 11, hour: 0))

        // Sales per day and store, days starting at midnight IST
        func sales(
            _ period: ReportPeriod, _ grouping: SalesGrouping, offset: Int = 330, cityID: Int64? = nil,
            supplierID: Int64? = nil
        ) async throws -> [String] {
            try await storage.salesReport(
                SalesReportQuery(
                    scope: .all,
                    period: period, grouping: grouping, from: november.from, to: november.to, cityID: cityID,
                    supplierID: supplierID, utcOffsetMinutes: offset)
            ).rows.map { "\($0.period) \($0.groupName) \($0.quantity) \($0.revenue) \($0.sales)" }
        }
        #expect(
            try await sales(.day, .store) == [
                "2026-11-02 P1 5.5 479.99 3",
                "2026-11-03 I1 4 160.00 1",
                "2026-11-03 P1 1.25 75.00 1",
                "2026-11-09 P2 3 180.00 1",
            ])
        // The 00:30 IST sale of 3 Nov is still 2 Nov in UTC.
        #expect(
            try await sales(.day, .store, offset: 0).prefix(2) == [
                "2026-11-02 P1 6.75 554.99 4", "2026-11-03 I1 4 160.00 1",
            ])
        #expect(
            try await sales(.week, .city) == [
                "2026-11-02 Indore 4 160.00 1", "2026-11-02 Pune 6.75 554.99 4", "2026-11-09 Pune 3 180.00 1",
            ])
        #expect(try await sales(.month, .supplier) == ["2026-11-01 S-A 11.75 604.99 5", "2026-11-01 S-B 2 290.00 1"])
        #expect(
            try await sales(.month, .product) == [
                "2026-11-01 OIL 2 290.00 1", "2026-11-01 RICE 6.75 405.00 3", "2026-11-01 SOAP 5 199.99 2",
            ])
        #expect(try await sales(.month, .store, cityID: data.indore.id) == ["2026-11-01 I1 4 160.00 1"])
        #expect(try await sales(.month, .product, supplierID: data.supplierB.id) == ["2026-11-01 OIL 2 290.00 1"])

        // Stock on hand and its value at the preferred supplier's cost
        func stock(_ grouping: StockGrouping, supplierID: Int64? = nil) async throws -> [String] {
            try await storage.stockReport(StockReportQuery(scope: .all, grouping: grouping, supplierID: supplierID))
                .rows.map {
                    "\($0.groupName) \($0.onHand) \($0.stockValue) \($0.levels) \($0.unvaluedLevels)"
                }
        }
        #expect(try await stock(.store) == ["I1 6 180.00 1 0", "P1 168.25 8442.50 4 1", "P2 37 1850.00 1 0"])
        #expect(try await stock(.city) == ["Indore 6 180.00 1 0", "Pune 205.25 10292.50 5 1"])
        #expect(
            try await stock(.product) == [
                "OIL 18 2160.00 1 0", "RICE 133.25 6662.50 2 0", "SALT 5 0.00 1 1", "SOAP 55 1650.00 2 0",
            ])
        #expect(
            try await stock(.product, supplierID: data.supplierB.id) == [
                "OIL 18 2160.00 1 0", "RICE 133.25 6662.50 2 0",
            ])
        let oneStore = try await storage.stockReport(
            StockReportQuery(scope: .all, grouping: .product, storeID: data.p2.id))
        #expect(oneStore.rows.map(\.groupName) == ["RICE"] && !oneStore.truncated)

        // Low stock across stores, with whom to reorder from
        func low(_ query: LowStockQuery) async throws -> [String] {
            try await storage.lowStockReport(query).items.map {
                "\($0.storeCode) \($0.sku) \($0.onHand)/\($0.reorderLevel) \($0.preferredSupplierName ?? "-") \($0.costPrice?.description ?? "-")"
            }
        }
        #expect(
            try await low(LowStockQuery(scope: .all, page: PageRequest())) == [
                "P1 OIL 18/18 S-B 120.00", "I1 SOAP 6/6 S-A 30.00",
            ])
        #expect(
            try await low(LowStockQuery(scope: .all, cityID: data.indore.id, page: PageRequest())) == [
                "I1 SOAP 6/6 S-A 30.00"
            ])
        #expect(
            try await low(LowStockQuery(scope: .all, supplierID: data.supplierB.id, page: PageRequest())) == [
                "P1 OIL 18/18 S-B 120.00"
            ])
        let firstLow = try await storage.lowStockReport(LowStockQuery(scope: .all, page: PageRequest(limit: 1)))
        let nextLow = try await storage.lowStockReport(
            LowStockQuery(scope: .all, page: PageRequest(limit: 1, cursor: firstLow.nextCursor)))
        #expect(nextLow.items.map(\.sku.value) == ["SOAP"] && nextLow.nextCursor == nil)

        // Stock as the book stood before the sales were recorded
        let before = try await storage.stockLevels(
            StockQuery(storeID: data.p1.id, asOf: data.afterStockIns, page: PageRequest()))
        #expect(before.items.map { "\($0.product.sku) \($0.onHand)" } == ["RICE 100", "OIL 20", "SOAP 50", "SALT 5"])
        let now = try await storage.stockLevels(StockQuery(storeID: data.p1.id, page: PageRequest()))
        #expect(now.items.map { "\($0.product.sku) \($0.onHand)" } == ["RICE 96.25", "OIL 18", "SOAP 49", "SALT 5"])
        let beginning = try await storage.stockLevels(
            StockQuery(storeID: data.p1.id, asOf: ReportFixture.ist(day: 1, hour: 0), page: PageRequest()))
        #expect(beginning.items.allSatisfy { $0.onHand == .zero })
        let lowBefore = try await storage.stockLevels(
            StockQuery(storeID: data.p1.id, lowStockOnly: true, asOf: data.afterStockIns, page: PageRequest()))
        #expect(lowBefore.items.isEmpty)

        // The movements report filters by city
        let indore = try await storage.movements(
            MovementQuery(scope: .all, cityID: data.indore.id, page: PageRequest())
        ).items
        #expect(indore.map { "\($0.kind.rawValue) \($0.delta)" } == ["sale -4", "stock_in 10"])
    }
}

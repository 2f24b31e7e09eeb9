import Foundation
import HummingbirdTesting
import InventoryServer
import InventoryTestBackends
import InventoryTesting
import Testing

/// Reports over HTTP, as JSON and as CSV, on the hand-computed fixture chain.
@Suite struct ReportAPITests {
    static let november = "from=2026-10-31T18:30:00Z&to=2026-11-10T18:30:00Z"

    @Test(arguments: TestBackend.allCases)
    func salesAsJSONAndCSV(backend: TestBackend) async throws {
        let time = ManualTime()
        try await withAPI(backend, time: time) { client, storage in
            let data = try await ReportFixture.load(into: storage, time: time)
            let json = try await client.send(.get, "/v1/reports/sales?period=week&group_by=city&\(Self.november)")
            #expect(json.status == .ok)
            let report = try json.decode(SalesReportWire.self)
            #expect(
                report.rows.map { "\($0.period) \($0.groupName) \($0.revenue)" } == [
                    "2026-11-02 Indore 160.00", "2026-11-02 Pune 554.99", "2026-11-09 Pune 180.00",
                ])
            #expect(report.totals.quantity == "13.75" && report.totals.revenue == "894.99" && report.totals.sales == 6)
            #expect(report.rows[0].groupID == data.indore.id && !report.truncated)

            let csv = try await client.send(
                .get, "/v1/reports/sales?period=month&group_by=supplier&\(Self.november)&format=csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(
                csv.text == """
                    period,group_id,group_name,quantity,revenue,sales\r
                    2026-11-01,\(data.supplierA.id),S-A,11.75,604.99,5\r
                    2026-11-01,\(data.supplierB.id),S-B,2,290.00,1\r
                    total,,,13.75,894.99,6\r

                    """)
            let utc = try await client.send(.get, "/v1/reports/sales?\(Self.november)&utc_offset=%2B00:00").decode(
                SalesReportWire.self)
            #expect(utc.rows.first.map { "\($0.period) \($0.groupName) \($0.quantity)" } == "2026-11-02 P1 6.75")
        }
    }

    @Test(arguments: TestBackend.allCases)
    func stockLowStockMovementsAndAsOf(backend: TestBackend) async throws {
        let time = ManualTime()
        try await withAPI(backend, time: time) { client, storage in
            let data = try await ReportFixture.load(into: storage, time: time)
            let stock = try await client.send(.get, "/v1/reports/stock?group_by=city").decode(StockReportWire.self)
            #expect(stock.rows.map { "\($0.groupName) \($0.stockValue)" } == ["Indore 180.00", "Pune 10292.50"])
            #expect(stock.totals.stockValue == "10472.50" && stock.totals.levels == 6)
            let stockCSV = try await client.send(
                .get, "/v1/reports/stock?group_by=product&store_id=\(data.p2.id)", headers: ["Accept": "text/csv"])
            #expect(
                stockCSV.text
                    == "group_id,group_name,on_hand,stock_value,levels,unvalued_levels\r\n\(1),RICE,37,1850.00,1,0\r\n,total,37,1850.00,1,0\r\n"
            )

            let low = try await client.send(.get, "/v1/reports/low-stock?city_id=\(data.pune.id)").decode(
                PageWire<LowStockWire>.self)
            #expect(low.items.map { "\($0.storeCode) \($0.sku) \($0.preferredSupplierName ?? "")" } == ["P1 OIL S-B"])
            let lowCSV = try await client.send(.get, "/v1/reports/low-stock?format=csv&limit=1")
            #expect(lowCSV.headers[.init("Next-Cursor")!] != nil)
            #expect(lowCSV.text.hasPrefix("store_id,store_code,city_id,product_id,sku,name,on_hand,reorder_level,"))

            let asOf = WireCoding.formatTime(data.afterStockIns)
            let before = try await client.send(.get, "/v1/stores/\(data.p1.id)/stock?as_of=\(asOf)").decode(
                PageWire<StockLevelWire>.self)
            #expect(before.items.map(\.onHand) == ["100", "20", "50", "5"])
            let movements = try await client.send(.get, "/v1/movements?city_id=\(data.indore.id)&format=csv")
            #expect(movements.text.split(separator: "\r\n").count == 3)
            #expect(movements.text.contains(",I1,") == false && movements.text.contains(",SOAP,sale,-4,6,"))

            for (query, field) in [
                ("group_by=shelf", "group_by"), ("utc_offset=5", "utc_offset"), ("from=2026-02-01&to=2026-01-01", "to"),
                ("from=2024-01-01&to=2026-01-01", "to"), ("period=year", "period"),
            ] {
                let response = try await client.send(.get, "/v1/reports/sales?\(query)")
                #expect(try response.problem().field == field, "\(query)")
            }
            #expect(try await client.send(.get, "/v1/reports/stock?group_by=shelf").status == .unprocessableContent)
            #expect(try await client.send(.get, "/v1/reports/stock?sku=NOPE").status == .notFound)
        }
    }
}

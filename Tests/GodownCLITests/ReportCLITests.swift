import Foundation
import InventoryTestBackends
import Testing

/// A chain owner's CLI: cities, stores, a transfer, and the reports as tables, JSON and CSV.
@Suite struct ReportCLITests {
    @Test(arguments: TestBackend.allCases)
    func chainReports(backend: TestBackend) async throws {
        try await GodownExecutable.withTemporaryFolder(backend: backend) { godown in
            #expect(
                try godown.run("city", "add", "Pune", "--state", "Maharashtra").output.contains(
                    "City 1: Pune, Maharashtra"))
            #expect(try godown.run("store", "add", "pun-01", "Kothrud", "--city", "1").output.contains("(PUN-01)"))
            try godown.run("product", "add", "RICE", "Rice", "--unit", "kg", "--price", "60")
            try godown.run("stock", "in", "RICE", "50", "--occurred-at", "2026-11-02T10:00:00+05:30")
            try godown.run("stock", "reorder-level", "RICE", "10", "--store", "2")

            let moved = try godown.run("transfer", "1", "2", "RICE=45", "--note", "opening stock")
            #expect(moved.status == 0 && moved.output.contains("RICE 45"))
            let short = try godown.run("transfer", "1", "2", "RICE=6")
            #expect(short.status != 0 && short.errors.contains("available 5"))
            try godown.run("stock", "sale", "RICE", "40", "--store", "2", "--occurred-at", "2026-11-03T10:00:00+05:30")

            let stock = try godown.run("report", "stock", "--group-by", "city", "--csv")
            #expect(
                stock.output
                    == "group_id,group_name,on_hand,stock_value,levels,unvalued_levels\r\n,(no city),5,0.00,1,1\r\n1,Pune,5,0.00,1,1\r\n,total,10,0.00,2,2\r\n"
            )
            let sales = try #require(
                try godown.json("report", "sales", "--from", "2026-11-01", "--to", "2026-11-08", "--period", "week")
                    as? [String: Any])
            let rows = try #require(sales["rows"] as? [[String: Any]])
            #expect(
                rows.map { "\($0["period"]!) \($0["group_name"]!) \($0["revenue"]!)" } == ["2026-11-02 PUN-01 2400.00"])
            let low = try godown.run("report", "low-stock")
            #expect(low.output.contains("PUN-01") && low.output.contains("RICE"))
            let movements = try godown.run("report", "movements", "--city", "1", "--csv")
            #expect(movements.output.split(separator: "\r\n").count == 3)
        }
    }
}

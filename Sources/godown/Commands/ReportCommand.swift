import ArgumentParser
import Foundation
import InventoryCore
import InventoryServer

/// `godown report stock|sales|low-stock|movements`: the reports of the API, as tables, JSON or CSV.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports: stock on hand, sales, low stock, movements.",
        subcommands: [Stock.self, Sales.self, LowStock.self, Movements.self])

    /// `--csv`, `--json` or a table.
    struct Format: ParsableArguments {
        @Flag(help: "Print CSV.") var csv = false
        @Flag(help: "Print JSON.") var json = false

        func print<Wire: Encodable>(_ wire: Wire, csv table: CSVTable, columnsRightAligned: Set<String>) throws {
            if csv {
                FileHandle.standardOutput.write(Data(table.text.utf8))
            } else if json {
                try Output.printJSON(wire)
            } else {
                Output.printTable(
                    headers: table.headers.map { $0.uppercased() }, rows: table.rows,
                    rightAligned: Set(columnsRightAligned.map { $0.uppercased() }))
            }
        }
    }

    /// Filters several reports share.
    struct Filters: ParsableArguments {
        @Option(help: "Only this store id.") var store: Int64?
        @Option(help: "Only stores in this city id.") var city: Int64?
        @Option(help: "Only this SKU.") var sku: String?
        @Option(help: "Only products of this supplier id.") var supplier: Int64?

        func product() throws -> ProductReference? {
            try sku.map { text throws(InventoryError) in .sku(try SKU(text)) }
        }
    }

    struct Stock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "On-hand and its value at cost, with totals.")
        @Option(help: "store, city or product.") var groupBy = "store"
        @OptionGroup var filters: Filters
        @OptionGroup var format: Format
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard let grouping = StockGrouping(rawValue: groupBy) else {
                throw ValidationError("--group-by must be store, city or product")
            }
            let query = StockReportQuery(
                scope: .all, grouping: grouping, storeID: filters.store, cityID: filters.city,
                product: try filters.product(),
                supplierID: filters.supplier)
            let report = StockReportWire(
                try await database.withStorage { try await $0.stockReport(query) }, grouping: grouping)
            try format.print(
                report, csv: report.csv, columnsRightAligned: ["on_hand", "stock_value", "levels", "unvalued_levels"])
            if report.truncated { Output.printError("(cut at \(Limits.reportRowsMax) rows: narrow the filters)") }
        }
    }

    struct Sales: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Quantity and revenue of sales per period and group.")
        @Option(help: "day, week or month.") var period = "day"
        @Option(help: "store, product, city or supplier (the preferred one).") var groupBy = "store"
        @Option(help: "From this time or date, inclusive (default: 30 days before --to).") var from: String?
        @Option(help: "Up to this time or date, exclusive (default: now).") var to: String?
        @Option(help: "The offset at which days begin.") var utcOffset = "+05:30"
        @OptionGroup var filters: Filters
        @OptionGroup var format: Format
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard let period = ReportPeriod(rawValue: period), let grouping = SalesGrouping(rawValue: groupBy) else {
                throw ValidationError(
                    "--period must be day, week or month; --group-by store, product, city or supplier")
            }
            let end =
                try to.map { text throws(InventoryError) in try WireCoding.parseTime(text, field: "to") } ?? Date()
            let start =
                try from.map { text throws(InventoryError) in try WireCoding.parseTime(text, field: "from") }
                ?? end.addingTimeInterval(-30 * 86_400)
            let query = try SalesReportQuery(
                scope: .all, period: period, grouping: grouping, from: start, to: end, storeID: filters.store,
                cityID: filters.city,
                product: try filters.product(), supplierID: filters.supplier,
                utcOffsetMinutes: try Self.minutes(utcOffset))
            let report = SalesReportWire(
                try await database.withStorage { try await $0.salesReport(query) }, query: query)
            try format.print(report, csv: report.csv, columnsRightAligned: ["quantity", "revenue", "sales"])
            if report.truncated { Output.printError("(cut at \(Limits.reportRowsMax) rows: narrow the filters)") }
        }

        static func minutes(_ offset: String) throws -> Int {
            let parts = offset.dropFirst().split(separator: ":").compactMap { Int($0) }
            guard let sign = offset.first, "+-".contains(sign), parts.count == 2 else {
                throw ValidationError("--utc-offset must look like +05:30")
            }
            return (sign == "-" ? -1 : 1) * (parts[0] * 60 + parts[1])
        }
    }

    struct LowStock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "low-stock", abstract: "Every store and product at or below its reorder level.")
        @Option(help: "Only this store id.") var store: Int64?
        @Option(help: "Only stores in this city id.") var city: Int64?
        @Option(help: "Only products whose preferred supplier is this id.") var supplier: Int64?
        @OptionGroup var format: Format
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let (store, city, supplier) = (store, city, supplier)
            let rows = try await database.withStorage { storage in
                try await Paging.all { page in
                    try await storage.lowStockReport(
                        LowStockQuery(scope: .all, storeID: store, cityID: city, supplierID: supplier, page: page))
                }
            }.map(LowStockWire.init)
            try format.print(
                rows, csv: LowStockWire.csv(rows), columnsRightAligned: ["on_hand", "reorder_level", "cost_price"])
        }
    }

    struct Movements: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Movements, newest first, with filters.")
        @Option(help: "stock_in, sale, removal, adjustment, count, transfer_out or transfer_in.") var kind: String?
        @Option(help: "From this time or date, inclusive.") var from: String?
        @Option(help: "Up to this time or date, exclusive.") var to: String?
        @Option(help: "At most this many movements.") var limit = 500
        @OptionGroup var filters: Filters
        @OptionGroup var format: Format
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let query = try MovementQuery(
                scope: .all, storeID: filters.store, cityID: filters.city, product: try filters.product(),
                kind: kind.map { text throws(InventoryError) in try MovementKind(parsing: text) },
                supplierID: filters.supplier,
                from: from.map { text throws(InventoryError) in try WireCoding.parseTime(text, field: "from") },
                to: to.map { text throws(InventoryError) in try WireCoding.parseTime(text, field: "to") },
                page: PageRequest(limit: limit))
            let rows = try await database.withStorage { try await $0.movements(query).items }.map(MovementWire.init)
            try format.print(rows, csv: MovementWire.csv(rows), columnsRightAligned: ["id", "delta", "balance_after"])
        }
    }
}

import Foundation
import Hummingbird
import InventoryCore

/// Read-only reports (the controller holds a `ReportReader`, so the compiler proves it never writes), each as JSON or (with `format=csv` or `Accept: text/csv`) CSV.
struct ReportController<Reports: ReportReader> {
    let reports: Reports
    let time: any TimeSource

    func addRoutes(to v1: RouterGroup<AuthenticatedContext>) {
        v1.group("reports")
            .get("stock", use: stock)
            .get("sales", use: sales)
            .get("low-stock", use: lowStock)
    }

    @Sendable func stock(request: Request, context: AuthenticatedContext) async throws -> Response {
        let parameters = RequestParameters(request: request, context: context)
        let storeID = try parameters.integer("store_id")
        let caller = try context.authorize(.readReports, store: storeID)
        let grouping = try parameters.choice("group_by", default: StockGrouping.store)
        let query = StockReportQuery(
            scope: caller.scope, grouping: grouping, storeID: storeID, cityID: try parameters.integer("city_id"),
            product: try parameters.productFilter(), supplierID: try parameters.integer("supplier_id"))
        let report = StockReportWire(try await reports.stockReport(query), grouping: grouping)
        if request.wantsCSV { return report.csv.response(filename: "stock-report.csv") }
        return try report.response(from: request, context: context)
    }

    /// Sales per period; the range defaults to the 30 days before now.
    @Sendable func sales(request: Request, context: AuthenticatedContext) async throws -> Response {
        let parameters = RequestParameters(request: request, context: context)
        let storeID = try parameters.integer("store_id")
        let caller = try context.authorize(.readReports, store: storeID)
        let to = try parameters.time("to") ?? time.now
        let query = try SalesReportQuery(
            scope: caller.scope, period: try parameters.choice("period", default: ReportPeriod.day),
            grouping: try parameters.choice("group_by", default: SalesGrouping.store),
            from: try parameters.time("from") ?? to.addingTimeInterval(-30 * 86_400), to: to,
            storeID: storeID, cityID: try parameters.integer("city_id"),
            product: try parameters.productFilter(), supplierID: try parameters.integer("supplier_id"),
            utcOffsetMinutes: try parameters.utcOffsetMinutes())
        let report = SalesReportWire(try await reports.salesReport(query), query: query)
        if request.wantsCSV { return report.csv.response(filename: "sales-report.csv") }
        return try report.response(from: request, context: context)
    }

    @Sendable func lowStock(request: Request, context: AuthenticatedContext) async throws -> Response {
        let parameters = RequestParameters(request: request, context: context)
        let storeID = try parameters.integer("store_id")
        let caller = try context.authorize(.readReports, store: storeID)
        let query = LowStockQuery(
            scope: caller.scope, storeID: storeID, cityID: try parameters.integer("city_id"),
            supplierID: try parameters.integer("supplier_id"), page: try parameters.page())
        let page = PageWire(try await reports.lowStockReport(query), transform: LowStockWire.init)
        if request.wantsCSV {
            return LowStockWire.csv(page.items).response(filename: "low-stock.csv", nextCursor: page.nextCursor)
        }
        return try page.response(from: request, context: context)
    }
}

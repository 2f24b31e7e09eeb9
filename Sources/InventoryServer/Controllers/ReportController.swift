import Foundation
import Hummingbird
import InventoryCore

/// Read-only reports, each as JSON or (with `format=csv` or `Accept: text/csv`) CSV.
struct ReportController<Storage: InventoryStorage> {
    let storage: Storage

    func addRoutes(to router: Router<GodownRequestContext>) {
        router.group("v1/reports")
            .get("stock", use: stock)
            .get("sales", use: sales)
            .get("low-stock", use: lowStock)
    }

    @Sendable func stock(request: Request, context: GodownRequestContext) async throws -> Response {
        let parameters = RequestParameters(request: request, context: context)
        let storeID = try parameters.integer("store_id")
        let caller = try context.authorize(.readReports, store: storeID)
        let grouping = try parameters.choice("group_by", default: StockGrouping.store)
        var query = StockReportQuery(
            grouping: grouping, storeID: storeID, cityID: try parameters.integer("city_id"),
            product: try parameters.productFilter(), supplierID: try parameters.integer("supplier_id"))
        query.scope = caller.scope
        let report = StockReportWire(try await storage.stockReport(query), grouping: grouping)
        if request.wantsCSV { return report.csv.response(filename: "stock-report.csv") }
        return try report.response(from: request, context: context)
    }

    /// Sales per period; the range defaults to the 30 days before now.
    @Sendable func sales(request: Request, context: GodownRequestContext) async throws -> Response {
        let parameters = RequestParameters(request: request, context: context)
        let storeID = try parameters.integer("store_id")
        let caller = try context.authorize(.readReports, store: storeID)
        let to = try parameters.time("to") ?? Date()
        var query = try SalesReportQuery(
            period: try parameters.choice("period", default: ReportPeriod.day),
            grouping: try parameters.choice("group_by", default: SalesGrouping.store),
            from: try parameters.time("from") ?? to.addingTimeInterval(-30 * 86_400), to: to,
            storeID: storeID, cityID: try parameters.integer("city_id"),
            product: try parameters.productFilter(), supplierID: try parameters.integer("supplier_id"),
            utcOffsetMinutes: try parameters.utcOffsetMinutes())
        query.scope = caller.scope
        let report = SalesReportWire(try await storage.salesReport(query), query: query)
        if request.wantsCSV { return report.csv.response(filename: "sales-report.csv") }
        return try report.response(from: request, context: context)
    }

    @Sendable func lowStock(request: Request, context: GodownRequestContext) async throws -> Response {
        let parameters = RequestParameters(request: request, context: context)
        let storeID = try parameters.integer("store_id")
        let caller = try context.authorize(.readReports, store: storeID)
        var query = LowStockQuery(
            storeID: storeID, cityID: try parameters.integer("city_id"),
            supplierID: try parameters.integer("supplier_id"), page: try parameters.page())
        query.scope = caller.scope
        let page = PageWire(try await storage.lowStockReport(query), transform: LowStockWire.init)
        if request.wantsCSV {
            return LowStockWire.csv(page.items).response(filename: "low-stock.csv", nextCursor: page.nextCursor)
        }
        return try page.response(from: request, context: context)
    }
}

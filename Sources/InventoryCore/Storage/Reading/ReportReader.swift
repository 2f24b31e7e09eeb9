/// Computes the reports.
public protocol ReportReader: Sendable {
    /// On-hand and its value at cost, grouped by store, city or product.
    func stockReport(_ query: StockReportQuery) async throws -> Report<StockReportRow>
    /// Quantity and revenue of sales per period and group.
    func salesReport(_ query: SalesReportQuery) async throws -> Report<SalesReportRow>
    /// Every (store, product) at or below its reorder level.
    func lowStockReport(_ query: LowStockQuery) async throws -> Page<LowStockRow>
}

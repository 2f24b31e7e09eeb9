import Foundation

/// What the stock report groups by.
public enum StockGrouping: String, Sendable, CaseIterable {
    case store, city, product
}

/// What the sales report groups by; `supplier` means each product's preferred supplier.
public enum SalesGrouping: String, Sendable, CaseIterable {
    case store, product, city, supplier
}

/// The length of a sales report's periods. Weeks start on Monday.
public enum ReportPeriod: String, Sendable, CaseIterable {
    case day, week, month
}

/// Filters for the stock-on-hand report.
public struct StockReportQuery: Sendable, Hashable {
    /// The stores the caller may see; the report silently leaves out the others.
    public let scope: StoreScope
    public var grouping: StockGrouping
    public var storeID: Int64?
    public var cityID: Int64?
    public var product: ProductReference?
    /// Only products this supplier offers.
    public var supplierID: Int64?

    public init(
        scope: StoreScope, grouping: StockGrouping, storeID: Int64? = nil, cityID: Int64? = nil,
        product: ProductReference? = nil, supplierID: Int64? = nil
    ) {
        self.scope = scope
        self.grouping = grouping
        self.storeID = storeID
        self.cityID = cityID
        self.product = product
        self.supplierID = supplierID
    }
}

/// Filters for the sales summary over `[from, to)`.
public struct SalesReportQuery: Sendable, Hashable {
    /// The stores the caller may see; the report silently leaves out the others.
    public let scope: StoreScope
    public var period: ReportPeriod
    public var grouping: SalesGrouping
    public var from: Date
    public var to: Date
    public var storeID: Int64?
    public var cityID: Int64?
    public var product: ProductReference?
    /// Only products whose preferred supplier is this one.
    public var supplierID: Int64?
    /// Minutes east of UTC at which days begin (330 for India).
    public var utcOffsetMinutes: Int

    public init(
        scope: StoreScope, period: ReportPeriod, grouping: SalesGrouping, from: Date, to: Date, storeID: Int64? = nil,
        cityID: Int64? = nil, product: ProductReference? = nil, supplierID: Int64? = nil,
        utcOffsetMinutes: Int = ReportDefaults.utcOffsetMinutes
    ) throws(InventoryError) {
        guard from < to else { throw .invalidField(name: "to", reason: "must be later than from") }
        guard to.timeIntervalSince(from) <= Double(Limits.reportRangeDaysMax) * 86_400 else {
            throw .invalidField(name: "to", reason: "the range may span at most \(Limits.reportRangeDaysMax) days")
        }
        guard (-14 * 60...14 * 60).contains(utcOffsetMinutes) else {
            throw .invalidField(name: "utc_offset", reason: "must be between -14:00 and +14:00")
        }
        self.scope = scope
        self.period = period
        self.grouping = grouping
        self.from = from
        self.to = to
        self.storeID = storeID
        self.cityID = cityID
        self.product = product
        self.supplierID = supplierID
        self.utcOffsetMinutes = utcOffsetMinutes
    }
}

/// Defaults of the reports.
public enum ReportDefaults {
    /// Godown's stores are in India: days start at midnight IST unless a report says otherwise.
    public static let utcOffsetMinutes = 330
}

/// Filters for the low-stock report, ordered by store then product.
public struct LowStockQuery: Sendable, Hashable {
    /// The stores the caller may see; the report silently leaves out the others.
    public let scope: StoreScope
    public var storeID: Int64?
    public var cityID: Int64?
    /// Only products whose preferred supplier is this one.
    public var supplierID: Int64?
    public var page: PageRequest

    public init(
        scope: StoreScope, storeID: Int64? = nil, cityID: Int64? = nil, supplierID: Int64? = nil, page: PageRequest
    ) {
        self.scope = scope
        self.storeID = storeID
        self.cityID = cityID
        self.supplierID = supplierID
        self.page = page
    }
}

/// One group of the stock report.
public struct StockReportRow: Sendable, Hashable {
    /// The store, city or product id; nil for stores without a city.
    public var groupID: Int64?
    /// The store code, city name or SKU.
    public var groupName: String
    /// Sum of on-hand (mixing units when grouped by store or city; exact per product).
    public var onHand: Quantity
    /// On-hand valued at cost; lines whose product has no cost count in `unvaluedLevels`.
    public var stockValue: Money
    /// (store, product) stock levels summed.
    public var levels: Int
    public var unvaluedLevels: Int

    public init(
        groupID: Int64?, groupName: String, onHand: Quantity, stockValue: Money, levels: Int, unvaluedLevels: Int
    ) {
        self.groupID = groupID
        self.groupName = groupName
        self.onHand = onHand
        self.stockValue = stockValue
        self.levels = levels
        self.unvaluedLevels = unvaluedLevels
    }
}

/// One (period, group) of the sales summary.
public struct SalesReportRow: Sendable, Hashable {
    /// The first day of the period, "2026-11-02".
    public var period: String
    public var groupID: Int64?
    public var groupName: String
    public var quantity: Quantity
    /// Σ quantity × unit price, rounded to the paisa; sales without a price add nothing.
    public var revenue: Money
    public var sales: Int

    public init(period: String, groupID: Int64?, groupName: String, quantity: Quantity, revenue: Money, sales: Int) {
        self.period = period
        self.groupID = groupID
        self.groupName = groupName
        self.quantity = quantity
        self.revenue = revenue
        self.sales = sales
    }
}

/// A report of rows, with totals and whether it was cut at `Limits.reportRowsMax`.
public struct Report<Row: Sendable & Hashable>: Sendable, Hashable {
    public var rows: [Row]
    public var truncated: Bool

    /// Keeps at most `Limits.reportRowsMax` of up to one more fetched rows.
    public init(fetched: [Row]) {
        rows = Array(fetched.prefix(Limits.reportRowsMax))
        truncated = fetched.count > Limits.reportRowsMax
    }
}

/// One (store, product) at or below its reorder level, with whom to reorder from.
public struct LowStockRow: Sendable, Hashable {
    public var storeID: Int64
    public var storeCode: String
    public var cityID: Int64?
    public var productID: Int64
    public var sku: SKU
    public var productName: String
    public var onHand: Quantity
    public var reorderLevel: Quantity
    public var preferredSupplierID: Int64?
    public var preferredSupplierName: String?
    public var costPrice: Money?
    public var leadTimeDays: Int?

    public init(
        storeID: Int64, storeCode: String, cityID: Int64?, productID: Int64, sku: SKU, productName: String,
        onHand: Quantity, reorderLevel: Quantity, preferredSupplierID: Int64?, preferredSupplierName: String?,
        costPrice: Money?, leadTimeDays: Int?
    ) {
        self.storeID = storeID
        self.storeCode = storeCode
        self.cityID = cityID
        self.productID = productID
        self.sku = sku
        self.productName = productName
        self.onHand = onHand
        self.reorderLevel = reorderLevel
        self.preferredSupplierID = preferredSupplierID
        self.preferredSupplierName = preferredSupplierName
        self.costPrice = costPrice
        self.leadTimeDays = leadTimeDays
    }
}

extension Money {
    /// Rounds an amount in thousandths of a paisa (quantity thousandths × paise) half away from zero.
    public init(thousandthsOfPaise value: Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: 1000)
        self.init(paise: quotient + (abs(remainder) >= 500 ? (value < 0 ? -1 : 1) : 0))
    }
}

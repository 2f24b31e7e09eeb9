import Hummingbird
import InventoryCore

/// The stock report as the API shows it, with totals over its rows.
public struct StockReportWire: ResponseCodable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var groupID: Int64?
        public var groupName: String
        public var onHand: String
        public var stockValue: String
        public var levels: Int
        public var unvaluedLevels: Int

        enum CodingKeys: String, CodingKey {
            case levels
            case groupID = "group_id"
            case groupName = "group_name"
            case onHand = "on_hand"
            case stockValue = "stock_value"
            case unvaluedLevels = "unvalued_levels"
        }
    }

    public var groupBy: String
    public var rows: [Row]
    public var totals: Row
    public var truncated: Bool

    enum CodingKeys: String, CodingKey {
        case rows, totals, truncated
        case groupBy = "group_by"
    }

    public init(_ report: Report<StockReportRow>, grouping: StockGrouping) {
        groupBy = grouping.rawValue
        rows = report.rows.map {
            Row(
                groupID: $0.groupID, groupName: $0.groupName, onHand: $0.onHand.description,
                stockValue: $0.stockValue.description, levels: $0.levels, unvaluedLevels: $0.unvaluedLevels)
        }
        totals = Row(
            groupID: nil, groupName: "total",
            onHand: report.rows.reduce(Quantity.zero) { $0 + $1.onHand }.description,
            stockValue: Money(paise: report.rows.reduce(0) { $0 + $1.stockValue.paise }).description,
            levels: report.rows.reduce(0) { $0 + $1.levels },
            unvaluedLevels: report.rows.reduce(0) { $0 + $1.unvaluedLevels })
        truncated = report.truncated
    }

    public var csv: CSVTable {
        CSVTable(
            headers: ["group_id", "group_name", "on_hand", "stock_value", "levels", "unvalued_levels"],
            rows: (rows + [totals]).map {
                [
                    $0.groupID.map(String.init) ?? "", $0.groupName, $0.onHand, $0.stockValue, "\($0.levels)",
                    "\($0.unvaluedLevels)",
                ]
            })
    }
}

/// The sales summary as the API shows it, with totals over its rows.
public struct SalesReportWire: ResponseCodable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var period: String
        public var groupID: Int64?
        public var groupName: String
        public var quantity: String
        public var revenue: String
        public var sales: Int

        enum CodingKeys: String, CodingKey {
            case period, quantity, revenue, sales
            case groupID = "group_id"
            case groupName = "group_name"
        }
    }

    public struct Totals: Codable, Sendable, Equatable {
        public var quantity: String
        public var revenue: String
        public var sales: Int
    }

    public var period: String
    public var groupBy: String
    public var from: String
    public var to: String
    public var rows: [Row]
    public var totals: Totals
    public var truncated: Bool

    enum CodingKeys: String, CodingKey {
        case period, from, to, rows, totals, truncated
        case groupBy = "group_by"
    }

    public init(_ report: Report<SalesReportRow>, query: SalesReportQuery) {
        period = query.period.rawValue
        groupBy = query.grouping.rawValue
        from = WireCoding.formatTime(query.from)
        to = WireCoding.formatTime(query.to)
        rows = report.rows.map {
            Row(
                period: $0.period, groupID: $0.groupID, groupName: $0.groupName, quantity: $0.quantity.description,
                revenue: $0.revenue.description, sales: $0.sales)
        }
        totals = Totals(
            quantity: report.rows.reduce(Quantity.zero) { $0 + $1.quantity }.description,
            revenue: Money(paise: report.rows.reduce(0) { $0 + $1.revenue.paise }).description,
            sales: report.rows.reduce(0) { $0 + $1.sales })
        truncated = report.truncated
    }

    public var csv: CSVTable {
        CSVTable(
            headers: ["period", "group_id", "group_name", "quantity", "revenue", "sales"],
            rows: rows.map {
                [$0.period, $0.groupID.map(String.init) ?? "", $0.groupName, $0.quantity, $0.revenue, "\($0.sales)"]
            } + [["total", "", "", totals.quantity, totals.revenue, "\(totals.sales)"]])
    }
}

/// One row of the low-stock report as the API shows it.
public struct LowStockWire: Codable, Sendable, Equatable {
    public var storeID: Int64
    public var storeCode: String
    public var cityID: Int64?
    public var productID: Int64
    public var sku: String
    public var name: String
    public var onHand: String
    public var reorderLevel: String
    public var preferredSupplierID: Int64?
    public var preferredSupplierName: String?
    public var costPrice: String?
    public var leadTimeDays: Int?

    enum CodingKeys: String, CodingKey {
        case sku, name
        case storeID = "store_id"
        case storeCode = "store_code"
        case cityID = "city_id"
        case productID = "product_id"
        case onHand = "on_hand"
        case reorderLevel = "reorder_level"
        case preferredSupplierID = "preferred_supplier_id"
        case preferredSupplierName = "preferred_supplier_name"
        case costPrice = "cost_price"
        case leadTimeDays = "lead_time_days"
    }

    public init(_ row: LowStockRow) {
        storeID = row.storeID
        storeCode = row.storeCode
        cityID = row.cityID
        productID = row.productID
        sku = row.sku.value
        name = row.productName
        onHand = row.onHand.description
        reorderLevel = row.reorderLevel.description
        preferredSupplierID = row.preferredSupplierID
        preferredSupplierName = row.preferredSupplierName
        costPrice = row.costPrice?.description
        leadTimeDays = row.leadTimeDays
    }

    public static func csv(_ rows: [LowStockWire]) -> CSVTable {
        CSVTable(
            headers: [
                "store_id", "store_code", "city_id", "product_id", "sku", "name", "on_hand", "reorder_level",
                "preferred_supplier_id", "preferred_supplier_name", "cost_price", "lead_time_days",
            ],
            rows: rows.map {
                [
                    "\($0.storeID)", $0.storeCode, $0.cityID.map(String.init) ?? "", "\($0.productID)", $0.sku, $0.name,
                    $0.onHand, $0.reorderLevel, $0.preferredSupplierID.map(String.init) ?? "",
                    $0.preferredSupplierName ?? "",
                    $0.costPrice ?? "", $0.leadTimeDays.map(String.init) ?? "",
                ]
            })
    }
}

extension MovementWire {
    public static func csv(_ rows: [MovementWire]) -> CSVTable {
        CSVTable(
            headers: [
                "id", "occurred_at", "recorded_at", "store_id", "product_id", "sku", "kind", "delta", "balance_after",
                "reason", "supplier_id", "unit_cost", "unit_price", "note", "transfer_id", "recorded_by",
            ],
            rows: rows.map {
                [
                    "\($0.id)", $0.occurredAt, $0.recordedAt, "\($0.storeID)", "\($0.productID)", $0.sku, $0.kind,
                    $0.delta,
                    $0.balanceAfter, $0.reason ?? "", $0.supplierID.map(String.init) ?? "", $0.unitCost ?? "",
                    $0.unitPrice ?? "", $0.note ?? "", $0.transferID.map(String.init) ?? "", $0.recordedBy.name,
                ]
            })
    }
}

extension StockLevelWire {
    public static func csv(_ rows: [StockLevelWire]) -> CSVTable {
        CSVTable(
            headers: ["store_id", "product_id", "sku", "name", "unit", "on_hand", "reorder_level", "low_stock"],
            rows: rows.map {
                [
                    "\($0.storeID)", "\($0.productID)", $0.sku, $0.name, $0.unit, $0.onHand, $0.reorderLevel ?? "",
                    $0.lowStock ? "true" : "false",
                ]
            })
    }
}

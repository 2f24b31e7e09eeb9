import Foundation
import GRDB
import InventoryCore

/// The `WHERE` conditions listings and reports share, each written once for this backend: a
/// query names the column a filter applies to, and GRDB binds the values.
struct SQLiteConditions {
    private var conditions: [SQL] = []

    init(_ conditions: SQL...) {
        self.conditions = conditions
    }

    /// A page of a listing by id (products, cities, suppliers): rows after the cursor, without deleted
    /// ones unless asked for.
    init(page: PageRequest, includeDeleted: Bool) {
        self.init("id > \(page.after ?? 0)")
        if !includeDeleted { append("deleted_at IS NULL") }
    }

    mutating func append(_ condition: SQL) {
        conditions.append(condition)
    }

    /// `column` within the caller's stores, the given store, and the stores of the given city (as
    /// a store-id list, so indexes on store_id serve it).
    mutating func stores(_ column: String, scope: StoreScope, storeID: Int64?, cityID: Int64?) {
        let column = SQL(sql: column)
        if let ids = scope.storeIDs { append("\(column) IN \(ids)") }
        if let storeID { append("\(column) = \(storeID)") }
        if let cityID { append("\(column) IN (SELECT id FROM stores WHERE city_id = \(cityID))") }
    }

    /// Times in `[from, to)` on `column` (Unix milliseconds).
    mutating func between(_ column: String, from: Date?, to: Date?) {
        let column = SQL(sql: column)
        if let from { append("\(column) >= \(from.unixMilliseconds)") }
        if let to { append("\(column) < \(to.unixMilliseconds)") }
    }

    /// `value` on `column` when given.
    mutating func equal(_ column: String, _ value: (some DatabaseValueConvertible)?) {
        guard let value else { return }
        append("\(SQL(sql: column)) = \(value)")
    }

    /// `AND`-joined, or `1` (true) when there is none.
    var sql: SQL { conditions.isEmpty ? "1" : "\(conditions.joined(operator: .and))" }
}

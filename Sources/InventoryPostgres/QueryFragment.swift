import Foundation
import InventoryCore
import PostgresNIO

/// A piece of SQL whose interpolated values are bound, composable like GRDB's `SQL`: a query built
/// from conditions a filter chose is still written with interpolation, and postgres-nio numbers
/// the parameters when the pieces become one `PostgresQuery`.
///
/// `\(value)` binds a value, `\(fragment)` splices in another fragment, and `\(unescaped:)` splices
/// in text the code itself chose (a column name), never text a caller sent.
struct QueryFragment: ExpressibleByStringInterpolation, Sendable {
    fileprivate enum Part: Sendable {
        case sql(String)
        case value(@Sendable (inout PostgresQuery.StringInterpolation) -> Void)
    }

    private var parts: [Part] = []

    init(stringLiteral value: String) {
        parts = [.sql(value)]
    }

    init(stringInterpolation: StringInterpolation) {
        parts = stringInterpolation.parts
    }

    struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var parts: [Part] = []

        init(literalCapacity: Int, interpolationCount: Int) {
            parts.reserveCapacity(interpolationCount * 2 + 1)
        }

        mutating func appendLiteral(_ literal: String) {
            parts.append(.sql(literal))
        }

        mutating func appendInterpolation<Value: PostgresDynamicTypeEncodable & Sendable>(_ value: Value) {
            parts.append(.value { $0.appendInterpolation(value) })
        }

        mutating func appendInterpolation<Value: PostgresDynamicTypeEncodable & Sendable>(_ value: Value?) {
            parts.append(.value { $0.appendInterpolation(value) })
        }

        mutating func appendInterpolation(_ fragment: QueryFragment) {
            parts.append(contentsOf: fragment.parts)
        }

        mutating func appendInterpolation(unescaped text: String) {
            parts.append(.sql(text))
        }
    }

    /// The fragments one after another, with `separator` between them.
    static func joined(_ fragments: [QueryFragment], separator: String) -> QueryFragment {
        var joined = QueryFragment(stringLiteral: "")
        for (index, fragment) in fragments.enumerated() {
            if index > 0 { joined.parts.append(.sql(separator)) }
            joined.parts.append(contentsOf: fragment.parts)
        }
        return joined
    }

    /// The statement, its values bound through postgres-nio's own interpolation.
    var query: PostgresQuery {
        var interpolation = PostgresQuery.StringInterpolation(literalCapacity: 0, interpolationCount: parts.count)
        for part in parts {
            switch part {
            case .sql(let text): interpolation.appendLiteral(text)
            case .value(let bind): bind(&interpolation)
            }
        }
        return PostgresQuery(stringInterpolation: interpolation)
    }
}

/// The `WHERE` conditions listings and reports share, each written once for this backend: a query
/// names the column a filter applies to.
struct PostgresConditions {
    private var conditions: [QueryFragment] = []

    init(_ conditions: QueryFragment...) {
        self.conditions = conditions
    }

    /// A page of a listing by id (products, cities, suppliers): rows after the cursor, without deleted
    /// ones unless asked for.
    init(page: PageRequest, includeDeleted: Bool) {
        self.init("id > \(page.after ?? 0)")
        if !includeDeleted { append("deleted_at IS NULL") }
    }

    mutating func append(_ condition: QueryFragment) {
        conditions.append(condition)
    }

    /// `column` within the caller's stores, the given store, and the stores of the given city (as a
    /// store-id list, so indexes on store_id serve it).
    mutating func stores(_ column: String, scope: StoreScope, storeID: Int64?, cityID: Int64?) {
        if let ids = scope.storeIDs { append("\(unescaped: column) = ANY(\(ids))") }
        if let storeID { append("\(unescaped: column) = \(storeID)") }
        if let cityID { append("\(unescaped: column) IN (SELECT id FROM stores WHERE city_id = \(cityID))") }
    }

    /// Times in `[from, to)` on `column`.
    mutating func between(_ column: String, from: Date?, to: Date?) {
        if let from { append("\(unescaped: column) >= \(from)") }
        if let to { append("\(unescaped: column) < \(to)") }
    }

    /// `value` on `column` when given.
    mutating func equal<Value: PostgresDynamicTypeEncodable & Sendable>(_ column: String, _ value: Value?) {
        guard let value else { return }
        append("\(unescaped: column) = \(value)")
    }

    /// `WHERE` and the conditions, or nothing when there is none.
    var whereClause: QueryFragment {
        conditions.isEmpty ? "" : "WHERE \(QueryFragment.joined(conditions, separator: " AND "))"
    }
}

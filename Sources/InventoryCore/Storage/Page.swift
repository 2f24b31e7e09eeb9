import Foundation

/// Where a listing starts and how much of it to return.
public struct PageRequest: Sendable, Hashable {
    public var limit: Int
    /// The sort key of the last item the client has seen; empty for the first page. One key for
    /// listings by id, two for listings by (store, product).
    public var afterKeys: [Int64]

    /// Validates `limit` against `Limits.pageSizeMax` and decodes an opaque `cursor`.
    public init(limit: Int? = nil, cursor: String? = nil) throws(InventoryError) {
        let limit = limit ?? Limits.pageSizeDefault
        guard (1...Limits.pageSizeMax).contains(limit) else {
            throw .invalidField(name: "limit", reason: "must be between 1 and \(Limits.pageSizeMax)")
        }
        self.limit = limit
        self.afterKeys = try cursor.map { text throws(InventoryError) in try PageCursor.decode(text) } ?? []
    }

    /// The single sort key of the last item seen, for listings by id.
    public var after: Int64? { afterKeys.first }

    /// The (store, product) key of the last item seen, for listings by both; `invalidCursor` for another shape.
    public func afterPair() throws(InventoryError) -> (Int64, Int64)? {
        switch afterKeys.count {
        case 0: return nil
        case 2: return (afterKeys[0], afterKeys[1])
        default: throw .invalidCursor
        }
    }
}

/// One page of a listing, with the cursor of the next page when there is one.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// Builds a page from up to `request.limit + 1` fetched rows: the extra row only says a next page exists.
    public init(fetched: [Item], request: PageRequest, sortKey: (Item) -> Int64) {
        self.init(fetched: fetched, request: request, sortKeys: { [sortKey($0)] })
    }

    /// Like `init(fetched:request:sortKey:)` for listings sorted by several keys.
    public init(fetched: [Item], request: PageRequest, sortKeys: (Item) -> [Int64]) {
        if fetched.count > request.limit {
            items = Array(fetched.prefix(request.limit))
            nextCursor = PageCursor.encode(sortKeys(items[items.count - 1]))
        } else {
            items = fetched
            nextCursor = nil
        }
    }
}

/// Opaque pagination cursors: clients pass them back unchanged and cannot craft them by accident.
public enum PageCursor {
    static let prefix = "g1."

    public static func encode(_ key: Int64) -> String {
        encode([key])
    }

    public static func encode(_ keys: [Int64]) -> String {
        Data((prefix + keys.map(String.init).joined(separator: ".")).utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "")
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    public static func decode(_ cursor: String) throws(InventoryError) -> [Int64] {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard cursor.count <= 80, let data = Data(base64Encoded: base64),
            let text = String(data: data, encoding: .utf8),
            text.hasPrefix(prefix)
        else { throw .invalidCursor }
        let keys = text.dropFirst(prefix.count).split(separator: ".", omittingEmptySubsequences: false).map {
            Int64($0)
        }
        guard (1...2).contains(keys.count), keys.allSatisfy({ $0 != nil }) else { throw .invalidCursor }
        return keys.map { $0! }
    }
}

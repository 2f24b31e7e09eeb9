import Foundation

/// Where a listing starts and how much of it to return.
public struct PageRequest: Sendable, Hashable {
    public var limit: Int
    /// The sort key of the last item the client has seen; nil for the first page.
    public var after: Int64?

    /// Validates `limit` against `Limits.pageSizeMax` and decodes an opaque `cursor`.
    public init(limit: Int? = nil, cursor: String? = nil) throws(InventoryError) {
        let limit = limit ?? Limits.pageSizeDefault
        guard (1...Limits.pageSizeMax).contains(limit) else {
            throw .invalidField(name: "limit", reason: "must be between 1 and \(Limits.pageSizeMax)")
        }
        self.limit = limit
        self.after = try cursor.map { text throws(InventoryError) in try PageCursor.decode(text) }
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
        if fetched.count > request.limit {
            items = Array(fetched.prefix(request.limit))
            nextCursor = PageCursor.encode(sortKey(items[items.count - 1]))
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
        Data((prefix + String(key)).utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "")
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    public static func decode(_ cursor: String) throws(InventoryError) -> Int64 {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard cursor.count <= 64, let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            text.hasPrefix(prefix), let key = Int64(text.dropFirst(prefix.count))
        else { throw .invalidCursor }
        return key
    }
}

import Hummingbird
import InventoryCore

/// A page of a listing on the wire: `items` and, when more follow, `next_cursor`.
public struct PageWire<Item: Codable & Sendable>: ResponseCodable, Sendable {
    public var items: [Item]
    public var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    init<Value>(_ page: Page<Value>, transform: (Value) -> Item) {
        self.init(items: page.items.map(transform), nextCursor: page.nextCursor)
    }
}

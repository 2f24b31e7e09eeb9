import InventoryCore

/// Follows cursors to collect a whole listing, for CLI commands that show everything.
enum Paging {
    static func all<Item>(_ fetch: (PageRequest) async throws -> Page<Item>) async throws -> [Item] {
        var items: [Item] = []
        var cursor: String?
        repeat {
            let page = try await fetch(PageRequest(limit: Limits.pageSizeMax, cursor: cursor))
            items += page.items
            cursor = page.nextCursor
        } while cursor != nil
        return items
    }
}

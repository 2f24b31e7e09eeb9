import Foundation

/// A shop that holds stock. The first start creates one default store.
public struct Store: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var code: String
    public var name: String
    public var createdAt: Date

    public init(id: Int64, code: String, name: String, createdAt: Date) {
        self.id = id
        self.code = code
        self.name = name
        self.createdAt = createdAt
    }
}

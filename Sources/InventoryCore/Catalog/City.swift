import Foundation

/// A city whose stores are grouped in reports.
public struct City: Sendable, Hashable, Identifiable, Encodable {
    public var id: Int64
    public var name: String
    public var state: String?
    public var createdAt: Date
    public var deletedAt: Date?

    public init(id: Int64, name: String, state: String?, createdAt: Date, deletedAt: Date?) {
        self.id = id
        self.name = name
        self.state = state
        self.createdAt = createdAt
        self.deletedAt = deletedAt
    }
}

/// A validated city to add, or (with nil meaning "leave as is") the changes to one.
public struct CityDraft: Sendable, Hashable {
    public var name: String
    public var state: String?

    public init(name: String, state: String?) throws(InventoryError) {
        self.name = try TextRule.required(name, field: "name", lengthMax: Limits.nameLengthMax)
        self.state = try TextRule.optional(state, field: "state", lengthMax: Limits.nameLengthMax)
    }
}

/// A validated partial update of a city; `state` is a double optional: `.some(nil)` clears it.
public struct CityChanges: Sendable, Hashable {
    public var name: String?
    public var state: String??

    public init(name: String? = nil, state: String?? = nil) throws(InventoryError) {
        self.name = try name.map { text throws(InventoryError) in
            try TextRule.required(text, field: "name", lengthMax: Limits.nameLengthMax)
        }
        self.state = try state.map { text throws(InventoryError) in
            try TextRule.optional(text, field: "state", lengthMax: Limits.nameLengthMax)
        }
    }

    public func applied(to city: City) -> City {
        var changed = city
        if let name { changed.name = name }
        if let state { changed.state = state }
        return changed
    }
}

import Foundation
import Hummingbird
import InventoryCore

/// Typed reading of path and query parameters; a value of the wrong form is a 400.
struct RequestParameters {
    let request: Request
    let context: GodownRequestContext

    func pathID(_ name: String) throws -> Int64 {
        let text = context.parameters.get(name) ?? ""
        guard let id = Int64(text), id > 0 else { throw RequestError.malformed("\(name) must be a positive integer") }
        return id
    }

    func productReference(_ name: String) throws -> ProductReference {
        try ProductReference(parsing: (context.parameters.get(name) ?? "").removingPercentEncoding ?? "")
    }

    func string(_ name: String) -> String? {
        request.uri.queryParameters.get(name)
    }

    func integer(_ name: String) throws -> Int64? {
        guard let text = string(name) else { return nil }
        guard let value = Int64(text) else { throw RequestError.malformed("\(name) must be an integer") }
        return value
    }

    func boolean(_ name: String) throws -> Bool? {
        switch string(name) {
        case nil: return nil
        case "true": return true
        case "false": return false
        default: throw RequestError.malformed("\(name) must be true or false")
        }
    }

    func time(_ name: String) throws -> Date? {
        guard let text = string(name) else { return nil }
        do {
            return try WireCoding.parseTime(text, field: name)
        } catch {
            throw RequestError.malformed("\(name) must be an ISO 8601 time such as 2026-11-21T08:30:00Z")
        }
    }

    func directoryQuery() throws -> DirectoryQuery {
        DirectoryQuery(includeDeleted: try boolean("include_deleted") ?? false, page: try page())
    }

    func page() throws -> PageRequest {
        let limit = try integer("limit")
        guard limit.map({ Int(exactly: $0) != nil }) ?? true else { throw RequestError.malformed("limit is out of range") }
        return try PageRequest(limit: limit.map { Int($0) }, cursor: string("cursor"))
    }
}

import Foundation
import Hummingbird
import InventoryCore

/// Typed reading of path and query parameters; a value of the wrong form is a 400.
struct RequestParameters {
    let request: Request
    let path: Parameters

    init(request: Request, context: some RequestContext) {
        self.request = request
        path = context.parameters
    }

    func pathID(_ name: String) throws -> Int64 {
        let text = path.get(name) ?? ""
        guard let id = Int64(text), id > 0 else { throw RequestError.malformed("\(name) must be a positive integer") }
        return id
    }

    func productReference(_ name: String) throws -> ProductReference {
        try ProductReference(parsing: (path.get(name) ?? "").removingPercentEncoding ?? "")
    }

    /// The query parameter `name`; an empty value (`?cursor=`) counts as absent.
    func string(_ name: String) -> String? {
        guard let value = request.uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
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

    /// An optional product filter given as `sku` or `product_id`, not both.
    func productFilter() throws -> ProductReference? {
        switch (string("sku"), try integer("product_id")) {
        case (let sku?, nil): return .sku(try SKU(sku))
        case (nil, let id?): return .id(id)
        case (nil, nil): return nil
        case (.some, .some): throw RequestError.malformed("give at most one of sku and product_id")
        }
    }

    /// A value of `Choice` named by parameter `name`, or `defaultValue` when absent.
    func choice<Choice: RawRepresentable & CaseIterable>(_ name: String, default defaultValue: Choice) throws -> Choice
    where Choice.RawValue == String {
        guard let text = string(name) else { return defaultValue }
        guard let value = Choice(rawValue: text) else {
            let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw InventoryError.invalidField(name: name, reason: "must be one of \(allowed)")
        }
        return value
    }

    /// `utc_offset` such as "+05:30" or "-04:00" in minutes (a "+" sent unencoded arrives as a space).
    func utcOffsetMinutes() throws -> Int {
        guard var text = string("utc_offset") else { return ReportDefaults.utcOffsetMinutes }
        if text.hasPrefix(" ") { text = "+" + text.dropFirst() }
        let parts = text.dropFirst().split(separator: ":")
        guard let sign = text.first, sign == "+" || sign == "-", parts.count == 2, parts.allSatisfy({ $0.count == 2 }),
            let hours = Int(parts[0]), let minutes = Int(parts[1]), minutes < 60
        else { throw InventoryError.invalidField(name: "utc_offset", reason: "must look like +05:30 or -04:00") }
        return (sign == "-" ? -1 : 1) * (hours * 60 + minutes)
    }

    func directoryQuery() throws -> DirectoryQuery {
        DirectoryQuery(includeDeleted: try boolean("include_deleted") ?? false, page: try page())
    }

    func page() throws -> PageRequest {
        let limit = try integer("limit")
        guard limit.map({ Int(exactly: $0) != nil }) ?? true else {
            throw RequestError.malformed("limit is out of range")
        }
        return try PageRequest(limit: limit.map { Int($0) }, cursor: string("cursor"))
    }
}

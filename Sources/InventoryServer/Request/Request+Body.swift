import Foundation
import Hummingbird
import InventoryCore

extension Request {
    /// Decodes the JSON body as `type`, within the context's size limit.
    ///
    /// A body not sent as `application/json` is 415: a browser sends `text/plain` across sites
    /// without asking first, so accepting it would let another site post here with a user's
    /// credentials. Syntax errors and a key given twice are 400; valid JSON of the wrong shape (a
    /// number with a fraction included) is 422 naming the field; a body over the limit is 413
    /// (thrown by the body collector).
    func decodeJSON<T: Decodable>(_ type: T.Type, context: some RequestContext) async throws -> T {
        guard Self.isJSON(headers[.contentType]) else {
            throw RequestError.unsupportedMediaType("send the body as JSON, with Content-Type: application/json")
        }
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        try StrictJSON.check(buffer.readableBytesView)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw Self.requestError(for: error)
        }
    }

    /// `application/json`, with or without parameters such as `; charset=utf-8`.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
            .trimmingCharacters(in: .whitespaces)
        return mediaType.lowercased() == "application/json"
    }

    static func requestError(for error: DecodingError) -> RequestError {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            .malformed("the body is not valid JSON")
        case .dataCorrupted(let context):
            .unprocessable(field: fieldPath(context.codingPath), reason: context.debugDescription)
        case .keyNotFound(let key, let context):
            .unprocessable(field: fieldPath(context.codingPath + [key]), reason: "is required")
        case .valueNotFound(_, let context):
            .unprocessable(field: fieldPath(context.codingPath), reason: "must not be null")
        case .typeMismatch(let type, let context):
            .unprocessable(field: fieldPath(context.codingPath), reason: "must be \(jsonTypeName(type))")
        @unknown default:
            .malformed("the body could not be read")
        }
    }

    /// `movements[2].quantity` for a coding path.
    static func fieldPath(_ path: [any CodingKey]) -> String {
        guard !path.isEmpty else { return "body" }
        return path.reduce(into: "") { result, key in
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += (result.isEmpty ? "" : ".") + key.stringValue
            }
        }
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int64.Type, is Int.Type: "a whole number"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}

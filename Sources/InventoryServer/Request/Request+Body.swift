import Foundation
import Hummingbird
import InventoryCore

extension Request {
    /// Decodes the JSON body as `type`, within the context's size limit.
    ///
    /// Syntax errors are 400; valid JSON of the wrong shape is 422 naming the field; a body over
    /// the limit is 413 (thrown by the body collector).
    func decodeJSON<T: Decodable>(_ type: T.Type, context: some RequestContext) async throws -> T {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw Self.requestError(for: error)
        }
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

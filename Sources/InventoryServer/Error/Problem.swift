import Foundation
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem details body, with the extension members Godown uses.
public struct Problem: Error, Codable, Sendable, Equatable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var requestID: String?
    /// The request field that broke a rule, such as `movements[2].quantity`.
    public var field: String?
    public var sku: String?
    public var storeID: Int64?
    public var requested: String?
    public var available: String?

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, field, sku, requested, available
        case requestID = "request_id"
        case storeID = "store_id"
    }

    init(
        slug: String, title: String, status: HTTPResponse.Status, detail: String, field: String? = nil,
        sku: String? = nil, storeID: Int64? = nil, requested: String? = nil, available: String? = nil
    ) {
        self.type = slug == "about:blank" ? slug : "https://godown.invalid/problems/\(slug)"
        self.title = title
        self.status = status.code
        self.detail = detail
        self.field = field
        self.sku = sku
        self.storeID = storeID
        self.requested = requested
        self.available = available
    }

    static let mediaType = "application/problem+json"

    func response(requestID: String) -> Response {
        var body = self
        body.requestID = requestID
        // Encoding a struct of strings and integers cannot fail.
        let data = try! WireCoding.makeEncoder().encode(body)
        var headers = HTTPFields()
        headers[.contentType] = Self.mediaType
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

import HTTPTypes
import Hummingbird

/// A table rendered as RFC 4180 CSV: comma-separated, CRLF lines, fields quoted when they hold
/// a comma, quote or line break. Small enough that a library would add more than it saves.
public struct CSVTable: Sendable {
    public var headers: [String]
    public var rows: [[String]]

    public init(headers: [String], rows: [[String]]) {
        self.headers = headers
        self.rows = rows
    }

    public var text: String {
        ([headers] + rows).map { $0.map(Self.field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func field(_ value: String) -> String {
        // A leading =, +, - or @ would run as a formula in a spreadsheet: quote it with a leading apostrophe.
        var value = value
        if let first = value.first, "=+@".contains(first) || (first == "-" && Double(value) == nil) {
            value = "'" + value
        }
        guard value.contains(where: { ",\"\r\n".contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    func response(filename: String, nextCursor: String? = nil) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        if let nextCursor { headers[.nextCursor] = nextCursor }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension HTTPField.Name {
    /// Where a CSV page continues: pass it back as `cursor`.
    static let nextCursor = HTTPField.Name("Next-Cursor")!
}

extension Request {
    /// True when the client asked for CSV, by `format=csv` or `Accept: text/csv`.
    var wantsCSV: Bool {
        if let format = uri.queryParameters.get("format") { return format == "csv" }
        return headers[.accept]?.contains("text/csv") ?? false
    }
}

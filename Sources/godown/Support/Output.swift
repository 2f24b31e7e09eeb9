import Foundation
import InventoryServer

/// Printing for the CLI: JSON in the API's wire format, or aligned text tables.
enum Output {
    static func printJSON(_ value: some Encodable) throws {
        let encoder = WireCoding.makeEncoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Prints rows under headers, each column as wide as its widest cell; columns named in
    /// `rightAligned` (quantities, money) line up on the right.
    static func printTable(headers: [String], rows: [[String]], rightAligned: Set<String> = []) {
        guard !rows.isEmpty else {
            print("(none)")
            return
        }
        let widths = headers.indices.map { column in
            ([headers[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.indices.map { column in
                let padding = String(repeating: " ", count: widths[column] - cells[column].count)
                return rightAligned.contains(headers[column]) ? padding + cells[column] : cells[column] + padding
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        print(line(headers))
        print(line(widths.map { String(repeating: "-", count: $0) }))
        rows.forEach { print(line($0)) }
    }

    /// Writes a line to standard output at once, unbuffered, so progress shows also in a file or a pipe.
    static func printNow(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Writes a line to standard error.
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

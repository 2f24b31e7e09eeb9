import Foundation

/// The server's memory, read from /proc (Linux), in MiB: resident now and at its peak.
enum ServerMemory {
    static func read(pid: Int32?) -> (Double?, Double?) {
        guard let pid, let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
            return (nil, nil)
        }
        func kibibytes(_ field: String) -> Double? {
            status.split(separator: "\n").first { $0.hasPrefix(field + ":") }
                .flatMap { Double($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") }
        }
        return (kibibytes("VmRSS").map { $0 / 1024 }, kibibytes("VmHWM").map { $0 / 1024 })
    }
}

/// Prints the results as a table and writes them as JSON with the machine they were measured on.
enum Report {
    static func printTable(_ measurements: [Measurement]) {
        let header = [
            "workload", "conc", "calls/s", "units/s", "p50 ms", "p99 ms", "p99.9 ms", "errors", "ratio", "vs",
            "RSS MiB",
        ]
        let rows = measurements.map { m in
            [
                m.workload, "\(m.concurrency)", format(m.throughput, 0), format(m.unitsPerSecond, 0),
                format(m.latencyMillisecondsP50, 2),
                format(m.latencyMillisecondsP99, 2), format(m.latencyMillisecondsP999, 2), "\(m.errors)",
                m.ratioToCeiling.map { format($0 * 100, 0) + "%" } ?? "", m.ceiling ?? "",
                m.serverPeakResidentMiB.map { format($0, 0) } ?? "",
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max()! }
        for row in [header] + rows {
            print(
                row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(
                    separator: "  "))
        }
    }

    static func write(_ measurements: [Measurement], to path: String, settings: [String: String]) throws {
        struct Document: Encodable {
            var measuredAt: String
            var machine: [String: String]
            var settings: [String: String]
            var measurements: [Measurement]
        }
        let info = ProcessInfo.processInfo
        let document = Document(
            measuredAt: Date().formatted(Date.ISO8601FormatStyle()),
            machine: [
                "cores": "\(info.activeProcessorCount)",
                "memory_gib": format(Double(info.physicalMemory) / 1_073_741_824, 1),
                "os": info.operatingSystemVersionString,
                "hostname": info.hostName,
            ],
            settings: settings, measurements: measurements)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        try encoder.encode(document).write(to: URL(fileURLWithPath: path))
    }

    static func format(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}

import Foundation
import InventoryTestBackends
import Testing

/// Runs the built `godown` executable, as a shop owner would, in a temporary working folder.
struct GodownExecutable {
    struct Result {
        var status: Int32
        var output: String
        var errors: String
    }

    let folder: URL
    /// The `GODOWN_DATABASE` every run gets unless it says otherwise.
    var database: String?

    /// The `godown` binary next to the test bundle (`swift build --build-tests` builds both),
    /// or `GODOWN_EXECUTABLE`.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["GODOWN_EXECUTABLE"] { return URL(fileURLWithPath: path) }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.pathComponents.count > 1, !url.lastPathComponent.hasSuffix(".xctest") {
            url.deleteLastPathComponent()
        }
        return url.deletingLastPathComponent().appendingPathComponent("godown")
    }

    /// Runs `body` in a fresh folder; with a `backend`, every run uses a fresh database of it.
    static func withTemporaryFolder(
        backend: TestBackend? = nil, _ body: (GodownExecutable) async throws -> Void
    ) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build godown first: \(binary.path)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("godown-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let backend else { return try await body(GodownExecutable(folder: folder)) }
        try await backend.withDatabaseLocation(in: folder) { location in
            try await body(GodownExecutable(folder: folder, database: location))
        }
    }

    /// Runs `godown arguments…` to completion in the folder.
    @discardableResult
    func run(_ arguments: String..., environment: [String: String] = [:], input: String? = nil) throws -> Result {
        let process = makeProcess(arguments, environment: environment)
        if let input {
            let inputURL = folder.appendingPathComponent("stdin-\(UUID().uuidString)")
            try Data(input.utf8).write(to: inputURL)
            process.standardInput = try FileHandle(forReadingFrom: inputURL)
        }
        let output = folder.appendingPathComponent("stdout-\(UUID().uuidString)")
        let errors = folder.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: try String(contentsOf: output, encoding: .utf8),
            errors: try String(contentsOf: errors, encoding: .utf8))
    }

    /// Runs `godown arguments…` and decodes its standard output as JSON, expecting success.
    func json(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> Any {
        let process = makeProcess(arguments + ["--json"], environment: [:])
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, sourceLocation: sourceLocation)
        return try JSONSerialization.jsonObject(with: data)
    }

    func makeProcess(_ arguments: [String], environment: [String: String]) -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "GODOWN_DATABASE")
        if let database { merged["GODOWN_DATABASE"] = database }
        merged.merge(environment) { $1 }
        process.environment = merged
        return process
    }
}

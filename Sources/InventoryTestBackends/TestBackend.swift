import Foundation
import InventoryCore
import InventorySQLite
import InventoryTesting

/// The backends every behaviour is tested on; `@Test(arguments: TestBackend.allCases)`.
public enum TestBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }

    /// The database deadline of test storages: the whole suite runs at once, in a debug build, on
    /// two cores, where a 500-line batch behind fifty concurrent writers can take longer than the
    /// production default. Tests of the deadline itself set their own (`withDeadline`).
    public static let deadline = DatabaseDeadline(timeout: .seconds(60))

    /// Runs `body` with the `--database` value of a fresh, empty database of this backend, in `folder`.
    public func withDatabaseLocation(in folder: URL, _ body: (String) async throws -> Void) async throws {
        switch self {
        case .sqlite: try await body(folder.appendingPathComponent("godown.sqlite").path)
        case .postgres: try await TemporaryPostgres.withDatabase(body)
        }
    }

    /// Runs `body` with a fresh, migrated, empty database of this backend recording with `time`,
    /// removed afterwards.
    public func withStorage(
        time: ManualTime = ManualTime(), _ body: (any InventoryStorage & SeedLoading) async throws -> Void
    ) async throws {
        switch self {
        case .sqlite: try await TemporarySQLite.with(time: time) { storage, _ in try await body(storage) }
        case .postgres: try await TemporaryPostgres.with(time: time) { storage, _ in try await body(storage) }
        }
    }
}

/// A real SQLite file in a fresh temporary folder, removed afterwards.
public enum TemporarySQLite {
    public static func with(
        time: ManualTime = ManualTime(), _ body: (SQLiteInventoryStorage, String) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("godown-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("godown.sqlite").path
        try await body(try SQLiteInventoryStorage(path: path, deadline: TestBackend.deadline, time: time), path)
    }
}

import Foundation
import InventoryCore
import InventoryPostgres
import InventoryTesting
import Logging
import PostgresNIO
import Testing

/// A fresh database on the test cluster (`scripts/with-postgres` starts it and sets
/// GODOWN_TEST_POSTGRES_URL), migrated, with its client running; dropped afterwards.
public enum TemporaryPostgres {
    public static let logger: Logger = {
        var logger = Logger(label: "godown-test-postgres")
        logger.logLevel =
            ProcessInfo.processInfo.environment["GODOWN_TEST_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) }
            ?? .warning
        return logger
    }()

    static var serverURL: String {
        get throws {
            try #require(
                ProcessInfo.processInfo.environment["GODOWN_TEST_POSTGRES_URL"],
                "run the tests through scripts/test, which starts PostgreSQL")
        }
    }

    /// Runs `body` with the URL of a fresh, empty database, dropped afterwards.
    public static func withDatabase(_ body: (String) async throws -> Void) async throws {
        let server = try serverURL
        let name = "godown_test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        try await withAdmin(server) { admin in
            try await admin.query("CREATE DATABASE \(unescaped: name)", logger: logger)
        }
        var components = try #require(URLComponents(string: server))
        components.path = "/\(name)"
        components.query = "sslmode=disable"
        let url = try #require(components.string)
        do {
            try await body(url)
        } catch {
            try? await dropDatabase(name, server: server)
            throw error
        }
        try await dropDatabase(name, server: server)
    }

    /// Runs `body` with a storage on a fresh database migrated to `version` (the latest by default),
    /// its client running.
    public static func with(
        migratedUpTo version: Int? = nil, time: ManualTime = ManualTime(),
        _ body: (PostgresInventoryStorage, PostgresClient) async throws -> Void
    ) async throws {
        try await withDatabase { url in
            let storage = PostgresInventoryStorage(
                configuration: try PostgresInventoryStorage.configuration(url: url, poolSizeMax: 60), logger: logger,
                deadline: TestBackend.deadline, time: time)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await storage.client.run() }
                defer { group.cancelAll() }
                try await storage.migrate(upTo: version)
                try await body(storage, storage.client)
            }
        }
    }

    /// Runs `body` with a storage whose server never answers (nothing listens on its port), its
    /// client running, as when PostgreSQL is down.
    public static func withUnreachable(
        deadline: DatabaseDeadline, _ body: (PostgresInventoryStorage) async throws -> Void
    ) async throws {
        let storage = PostgresInventoryStorage(
            configuration: try PostgresInventoryStorage.configuration(
                url: "postgres://postgres@127.0.0.1:1/godown?sslmode=disable", poolSizeMax: 2),
            logger: logger, deadline: deadline)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await storage.client.run() }
            defer { group.cancelAll() }
            try await body(storage)
        }
    }

    private static func dropDatabase(_ name: String, server: String) async throws {
        try await withAdmin(server) { admin in
            try await admin.query("DROP DATABASE \(unescaped: name) WITH (FORCE)", logger: logger)
        }
    }

    private static func withAdmin(_ url: String, _ body: (PostgresClient) async throws -> Void) async throws {
        let admin = PostgresClient(
            configuration: try PostgresInventoryStorage.configuration(url: url + "?sslmode=disable", poolSizeMax: 1),
            backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await admin.run() }
            defer { group.cancelAll() }
            try await body(admin)
        }
    }
}

import Foundation
import HummingbirdTesting
import InventoryServer
import InventoryTestBackends
import Testing

/// Over real sockets, with many connections at once, the last units are sold exactly once.
@Suite struct LiveConcurrencyTests {
    @Test(arguments: TestBackend.allCases)
    func fiftyConcurrentSalesOfTwentyUnitsSellTwenty(backend: TestBackend) async throws {
        try await withAPI(backend, .ahc(.http)) { client, storage in
            try await client.createProduct("GHEE-1L")
            _ = try await client.move(#"{"sku":"GHEE-1L","kind":"stock_in","quantity":"20"}"#)

            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await Int(client.move(#"{"sku":"GHEE-1L","kind":"sale","quantity":"1"}"#).status.code)
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }

            #expect(statuses.filter { $0 == 201 }.count == 20)
            #expect(statuses.filter { $0 == 409 }.count == 30)
            let level = try await client.send(.get, "/v1/stores/1/stock/GHEE-1L").decode(StockLevelWire.self)
            #expect(level.onHand == "0")
            #expect(try await storage.verifyLedger().isIntact)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func concurrentRetriesOfOneKeyApplyOnce(backend: TestBackend) async throws {
        try await withAPI(backend, .ahc(.http)) { client, _ in
            try await client.createProduct("SALT")
            _ = try await client.move(#"{"sku":"SALT","kind":"stock_in","quantity":"10"}"#)
            let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        let response = try await client.move(
                            #"{"sku":"SALT","kind":"sale","quantity":"3"}"#, key: "till-9-77")
                        return try response.decode(MovementWire.self).id
                    }
                }
                return try await group.reduce(into: Set<Int64>()) { $0.insert($1) }
            }
            #expect(ids.count == 1)
            #expect(try await client.send(.get, "/v1/stores/1/stock/SALT").decode(StockLevelWire.self).onHand == "7")
        }
    }
}

import Foundation
import HummingbirdTesting
import InventoryServer
import InventoryTestBackends
import Testing

/// The stock ledger over HTTP: movements, batches, idempotent retries, stock and history.
@Suite struct LedgerAPITests {
    @Test(arguments: TestBackend.allCases)
    func recordsAMovementAndShowsTheStock(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            try await client.createProduct("RICE", unit: "kg", extra: #","sale_price":"60""#)
            let stockIn = try await client.move(
                #"{"sku":"rice","kind":"stock_in","quantity":"25.5","unit_cost":"48.25","note":"bag 1","occurred_at":"2026-11-20T09:00:00+05:30"}"#
            )
            #expect(stockIn.status == .created)
            let movement = try stockIn.decode(MovementWire.self)
            #expect(movement.delta == "25.5" && movement.balanceAfter == "25.5" && movement.unitCost == "48.25")
            #expect(movement.occurredAt == "2026-11-20T03:30:00.000Z")

            let sale = try await client.move(#"{"product_id":\#(movement.productID),"kind":"sale","quantity":2}"#)
                .decode(MovementWire.self)
            #expect(sale.delta == "-2" && sale.balanceAfter == "23.5" && sale.unitPrice == "60.00")

            let level = try await client.send(.get, "/v1/stores/1/stock/RICE").decode(StockLevelWire.self)
            #expect(level.onHand == "23.5" && !level.lowStock && level.reorderLevel == nil)
            let reorder = try await client.send(
                .put, "/v1/stores/1/stock/RICE/reorder-level", json: #"{"reorder_level":"23.5"}"#)
            #expect(try reorder.decode(StockLevelWire.self).lowStock)
            let low = try await client.send(.get, "/v1/stores/1/stock?low_stock=true").decode(
                PageWire<StockLevelWire>.self)
            #expect(low.items.map(\.sku) == ["RICE"])
            let cleared = try await client.send(
                .put, "/v1/stores/1/stock/RICE/reorder-level", json: #"{"reorder_level":null}"#)
            #expect(try cleared.decode(StockLevelWire.self).reorderLevel == nil)
            #expect(
                try await client.send(.get, "/v1/stores/1/stock?low_stock=true").decode(PageWire<StockLevelWire>.self)
                    .items.isEmpty)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func refusesAnOversaleWithWhatIsAvailable(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            try await client.createProduct("OIL", unit: "l")
            _ = try await client.move(#"{"sku":"OIL","kind":"stock_in","quantity":"1.5"}"#)
            let response = try await client.move(#"{"sku":"OIL","kind":"sale","quantity":"2"}"#)
            #expect(response.status == .conflict)
            let problem = try response.problem()
            #expect(problem.type.hasSuffix("insufficient-stock"))
            #expect(
                problem.available == "1.5" && problem.requested == "2" && problem.sku == "OIL" && problem.storeID == 1)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func replaysARetryAndRefusesAReusedKey(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            try await client.createProduct("SOAP")
            _ = try await client.move(#"{"sku":"SOAP","kind":"stock_in","quantity":5}"#)
            let body = #"{"sku":"SOAP","kind":"sale","quantity":"1"}"#
            let first = try await client.move(body, key: "pos-1-0001")
            // The same request, spelled differently, is the same request.
            let retry = try await client.move(#"{ "quantity": 1, "kind": "sale", "sku": "soap" }"#, key: "pos-1-0001")
            #expect(first.status == .created && retry.status == .created)
            #expect(first.headers[.init("Idempotency-Replayed")!] == nil)
            #expect(retry.headers[.init("Idempotency-Replayed")!] == "true")
            #expect(try retry.decode(MovementWire.self) == first.decode(MovementWire.self))
            let reused = try await client.move(#"{"sku":"SOAP","kind":"sale","quantity":"2"}"#, key: "pos-1-0001")
            #expect(reused.status == .unprocessableContent)
            #expect(try reused.problem().type.hasSuffix("idempotency-key-reused"))
            #expect(try await client.send(.get, "/v1/stores/1/stock/SOAP").decode(StockLevelWire.self).onHand == "4")
            #expect(try await client.move(body, key: "bad key with spaces").status == .unprocessableContent)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func appliesABatchWholeOrNotAtAll(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            try await client.createProduct("TEA", unit: "pack")
            try await client.createProduct("SUGAR", unit: "kg")
            let refused = try await client.move(
                #"""
                {"movements":[{"sku":"TEA","kind":"stock_in","quantity":"10"},{"sku":"SUGAR","kind":"stock_in","quantity":"5"},
                 {"sku":"SUGAR","kind":"sale","quantity":"6"}]}
                """#)
            #expect(refused.status == .conflict)
            let stock = try await client.send(.get, "/v1/stores/1/stock").decode(PageWire<StockLevelWire>.self)
            #expect(stock.items.map(\.onHand) == ["0", "0"])
            #expect(try await client.send(.get, "/v1/movements").decode(PageWire<MovementWire>.self).items.isEmpty)

            let invalid = try await client.move(
                #"{"movements":[{"sku":"TEA","kind":"stock_in","quantity":"10"},{"sku":"TEA","kind":"stock_in","quantity":"1.5"}]}"#
            )
            #expect(invalid.status == .unprocessableContent)
            #expect(try invalid.problem().field == "quantity")

            let badShape = try await client.move(
                #"{"movements":[{"sku":"TEA","kind":"stock_in","quantity":"1"},{"sku":"TEA","kind":"stock_in","quantity":"1.0001"}]}"#
            )
            #expect(try badShape.problem().field == "movements[1].quantity")

            let accepted = try await client.move(
                #"{"movements":[{"sku":"TEA","kind":"stock_in","quantity":"10"},{"sku":"SUGAR","kind":"stock_in","quantity":"5"},{"sku":"SUGAR","kind":"sale","quantity":"4.75"}]}"#
            )
            #expect(accepted.status == .created)
            let movements = try accepted.decode(MovementBatchWire.self).movements
            #expect(movements.map(\.balanceAfter) == ["10", "5", "0.25"])
        }
    }

    @Test(arguments: TestBackend.allCases)
    func historyFiltersAndPages(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            try await client.createProduct("A")
            try await client.createProduct("B")
            let supplier = try await client.send(.post, "/v1/suppliers", json: #"{"name":"S"}"#).decode(
                SupplierWire.self)
            _ = try await client.move(
                #"{"sku":"A","kind":"stock_in","quantity":9,"supplier_id":\#(supplier.id),"occurred_at":"2026-01-01T10:00:00Z"}"#
            )
            _ = try await client.move(
                #"{"sku":"B","kind":"stock_in","quantity":9,"occurred_at":"2026-01-02T10:00:00Z"}"#)
            _ = try await client.move(
                #"{"sku":"A","kind":"removal","quantity":1,"reason":"damaged","occurred_at":"2026-01-03T10:00:00Z"}"#)
            _ = try await client.move(#"{"sku":"A","kind":"count","quantity":5,"occurred_at":"2026-01-04T10:00:00Z"}"#)

            func deltas(_ query: String) async throws -> [String] {
                let response = try await client.send(.get, "/v1/movements?\(query)")
                #expect(response.status == .ok, "\(query)")
                return try response.decode(PageWire<MovementWire>.self).items.map { "\($0.sku)\($0.delta)" }
            }
            #expect(try await deltas("store_id=1") == ["A-3", "A-1", "B9", "A9"])
            #expect(try await deltas("sku=a") == ["A-3", "A-1", "A9"])
            #expect(try await deltas("kind=removal") == ["A-1"])
            #expect(try await deltas("supplier_id=\(supplier.id)") == ["A9"])
            #expect(try await deltas("from=2026-01-02&to=2026-01-04") == ["A-1", "B9"])
            #expect(try await deltas("from=2026-01-03T10:00:00.000Z") == ["A-3", "A-1"])
            let page = try await client.send(.get, "/v1/movements?limit=3").decode(PageWire<MovementWire>.self)
            let next = try await client.send(.get, "/v1/movements?limit=3&cursor=\(try #require(page.nextCursor))")
            #expect(try next.decode(PageWire<MovementWire>.self).items.map(\.sku) == ["A"])
        }
    }
}

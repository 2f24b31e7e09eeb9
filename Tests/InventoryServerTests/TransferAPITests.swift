import Foundation
import HummingbirdTesting
import InventoryServer
import InventoryTestBackends
import Testing

/// Transfers over HTTP: all lines or none, idempotent, listed by store.
@Suite struct TransferAPITests {
    @Test(arguments: TestBackend.allCases)
    func transfersBetweenStores(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            let branch = try await client.send(.post, "/v1/stores", json: #"{"code":"BR","name":"Branch"}"#).decode(
                StoreWire.self)
            try await client.createProduct("RICE", unit: "kg")
            try await client.createProduct("DAL", unit: "kg")
            _ = try await client.move(
                #"{"movements":[{"sku":"RICE","kind":"stock_in","quantity":"20"},{"sku":"DAL","kind":"stock_in","quantity":"2"}]}"#
            )

            let short = try await client.send(
                .post, "/v1/transfers",
                json: #"""
                    {"from_store_id":1,"to_store_id":\#(branch.id),"lines":[{"sku":"RICE","quantity":"5"},{"sku":"DAL","quantity":"3"}]}
                    """#)
            #expect(short.status == .conflict)
            #expect(try short.problem().sku == "DAL")
            #expect(try await client.send(.get, "/v1/stores/1/stock/RICE").decode(StockLevelWire.self).onHand == "20")

            let body =
                #"{"from_store_id":1,"to_store_id":\#(branch.id),"lines":[{"sku":"RICE","quantity":"5"},{"sku":"DAL","quantity":2}],"note":"restock"}"#
            let created = try await client.send(
                .post, "/v1/transfers", json: body, headers: ["Idempotency-Key": "tr-1"])
            #expect(created.status == .created)
            let transfer = try created.decode(TransferWire.self)
            #expect(transfer.lines.map(\.quantity) == ["5", "2"] && transfer.note == "restock")
            let retry = try await client.send(.post, "/v1/transfers", json: body, headers: ["Idempotency-Key": "tr-1"])
            #expect(retry.headers[.init("Idempotency-Replayed")!] == "true")
            #expect(try retry.decode(TransferWire.self) == transfer)
            #expect(
                try await client.send(.get, "/v1/stores/\(branch.id)/stock/RICE").decode(StockLevelWire.self).onHand
                    == "5")
            #expect(try await client.send(.get, "/v1/transfers/\(transfer.id)").decode(TransferWire.self) == transfer)
            #expect(
                try await client.send(.get, "/v1/transfers?store_id=\(branch.id)").decode(PageWire<TransferWire>.self)
                    .items == [transfer])
            let inMovement = try await client.send(.get, "/v1/movements?store_id=\(branch.id)&kind=transfer_in").decode(
                PageWire<MovementWire>.self)
            #expect(inMovement.items.map(\.transferID) == [transfer.id, transfer.id])

            let same = try await client.send(
                .post, "/v1/transfers",
                json: #"{"from_store_id":1,"to_store_id":1,"lines":[{"sku":"RICE","quantity":"1"}]}"#)
            #expect(try same.problem().field == "to_store_id")
            let badLine = try await client.send(
                .post, "/v1/transfers",
                json: #"{"from_store_id":1,"to_store_id":\#(branch.id),"lines":[{"sku":"RICE","quantity":"-1"}]}"#)
            #expect(try badLine.problem().field == "lines[0].quantity")
            let direct = try await client.move(#"{"sku":"RICE","kind":"transfer_in","quantity":"1"}"#)
            #expect(try direct.problem().field == "kind")
            #expect(try await client.send(.get, "/v1/transfers/999").status == .notFound)
        }
    }
}

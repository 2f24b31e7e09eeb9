import Foundation
import HummingbirdTesting
import InventoryServer
import InventoryTestBackends
import Testing

/// Cities, stores, suppliers and what they supply, over HTTP.
@Suite struct LocationAPITests {
    @Test(arguments: TestBackend.allCases)
    func citiesAndStores(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            let created = try await client.send(.post, "/v1/cities", json: #"{"name":"Pune","state":"Maharashtra"}"#)
            #expect(created.status == .created)
            let pune = try created.decode(CityWire.self)
            #expect(
                try await client.send(.post, "/v1/cities", json: #"{"name":"Pune","state":"Maharashtra"}"#).status
                    == .conflict)
            #expect(try await client.send(.post, "/v1/cities", json: #"{"state":"Goa"}"#).problem().field == "name")
            let patched = try await client.send(.patch, "/v1/cities/\(pune.id)", json: #"{"state":null}"#).decode(
                CityWire.self)
            #expect(patched.state == nil && patched.name == "Pune")
            #expect(try await client.send(.get, "/v1/cities/\(pune.id)").decode(CityWire.self) == patched)
            #expect(try await client.send(.get, "/v1/cities").decode(PageWire<CityWire>.self).items == [patched])

            let store = try await client.send(
                .post, "/v1/stores",
                json: #"{"code":"pun-01","name":"Kothrud","city_id":\#(pune.id),"address":"Paud Road"}"#)
            #expect(store.status == .created)
            let kothrud = try store.decode(StoreWire.self)
            #expect(kothrud.code == "PUN-01" && kothrud.cityID == pune.id && kothrud.active)
            #expect(
                try await client.send(.post, "/v1/stores", json: #"{"code":"PUN-01","name":"x"}"#).status == .conflict)
            #expect(
                try await client.send(.post, "/v1/stores", json: #"{"code":"X","name":"x","city_id":999}"#).status
                    == .notFound)
            #expect(
                try await client.send(.patch, "/v1/stores/\(kothrud.id)", json: #"{"code":"NEW"}"#).status
                    == .unprocessableContent)

            let inCity = try await client.send(.get, "/v1/cities/\(pune.id)/stores").decode(PageWire<StoreWire>.self)
            #expect(inCity.items == [kothrud])
            #expect(
                try await client.send(.get, "/v1/stores?city_id=\(pune.id)").decode(PageWire<StoreWire>.self).items == [
                    kothrud
                ])
            let closed = try await client.send(
                .patch, "/v1/stores/\(kothrud.id)", json: #"{"active":false,"address":null}"#)
            #expect(try closed.decode(StoreWire.self).active == false)
            #expect(
                try await client.send(.get, "/v1/stores?active=false").decode(PageWire<StoreWire>.self).items.map(
                    \.code) == ["PUN-01"])

            // Stock in the new store, then delete rules
            try await client.createProduct("TEA")
            let stocked = try await client.send(
                .post, "/v1/stores/\(kothrud.id)/movements", json: #"{"sku":"TEA","kind":"stock_in","quantity":"3"}"#)
            #expect(stocked.status == .created)
            #expect(try await client.send(.delete, "/v1/stores/\(kothrud.id)").status == .conflict)
            _ = try await client.send(
                .post, "/v1/stores/\(kothrud.id)/movements", json: #"{"sku":"TEA","kind":"count","quantity":"0"}"#)
            #expect(try await client.send(.delete, "/v1/stores/\(kothrud.id)").status == .noContent)
            #expect(try await client.send(.get, "/v1/stores/\(kothrud.id)").status == .notFound)
            #expect(try await client.send(.delete, "/v1/cities/\(pune.id)").status == .noContent)
            #expect(try await client.send(.get, "/v1/cities/\(pune.id)/stores").status == .notFound)
            let all = try await client.send(.get, "/v1/cities?include_deleted=true").decode(PageWire<CityWire>.self)
            #expect(all.items.count == 1 && all.items[0].deletedAt != nil)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func suppliersAndTheirProducts(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            let supplier = try await client.send(
                .post, "/v1/suppliers", json: #"{"name":"Gupta Oils","contact":"Ramesh","phone":"98200 11111"}"#
            ).decode(SupplierWire.self)
            #expect(supplier.contact == "Ramesh" && supplier.active)
            let changed = try await client.send(
                .patch, "/v1/suppliers/\(supplier.id)", json: #"{"phone":null,"name":"Gupta Oil Mills"}"#)
            #expect(try changed.decode(SupplierWire.self).phone == nil)
            #expect(
                try await client.send(.get, "/v1/suppliers/\(supplier.id)").decode(SupplierWire.self).name
                    == "Gupta Oil Mills")

            let oil = try await client.createProduct("OIL-1L", unit: "l")
            let linked = try await client.send(
                .put, "/v1/products/OIL-1L/suppliers/\(supplier.id)",
                json: #"{"supplier_sku":"G-1","cost_price":"142.50","lead_time_days":2,"preferred":true}"#)
            #expect(linked.status == .ok)
            let link = try linked.decode(ProductSupplierWire.self)
            #expect(
                link.costPrice == "142.50" && link.preferred && link.supplierName == "Gupta Oil Mills"
                    && link.productID == oil.id)
            let bad = try await client.send(
                .put, "/v1/products/OIL-1L/suppliers/\(supplier.id)", json: #"{"lead_time_days":400}"#)
            #expect(try bad.problem().field == "lead_time_days")
            #expect(
                try await client.send(.get, "/v1/products/\(oil.id)/suppliers").decode(
                    PageWire<ProductSupplierWire>.self
                ).items == [link])
            #expect(
                try await client.send(.get, "/v1/suppliers/\(supplier.id)/products").decode(
                    PageWire<ProductSupplierWire>.self
                ).items == [link])
            #expect(try await client.send(.delete, "/v1/products/OIL-1L/suppliers/\(supplier.id)").status == .noContent)
            #expect(try await client.send(.delete, "/v1/products/OIL-1L/suppliers/\(supplier.id)").status == .notFound)

            #expect(try await client.send(.delete, "/v1/suppliers/\(supplier.id)").status == .noContent)
            #expect(try await client.send(.get, "/v1/suppliers/\(supplier.id)").status == .notFound)
            let refused = try await client.move(
                #"{"sku":"OIL-1L","kind":"stock_in","quantity":"1","supplier_id":\#(supplier.id)}"#)
            #expect(refused.status == .notFound)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func aProductAcrossStores(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            let second = try await client.send(.post, "/v1/stores", json: #"{"code":"S2","name":"Second"}"#).decode(
                StoreWire.self)
            try await client.createProduct("SALT")
            _ = try await client.move(#"{"sku":"SALT","kind":"stock_in","quantity":"4"}"#)
            _ = try await client.send(
                .post, "/v1/stores/\(second.id)/movements", json: #"{"sku":"SALT","kind":"stock_in","quantity":"6"}"#)
            let stock = try await client.send(.get, "/v1/products/SALT/stock").decode(PageWire<StockLevelWire>.self)
            #expect(stock.items.map(\.storeID) == [1, second.id])
            #expect(stock.items.map(\.onHand) == ["4", "6"])
        }
    }
}

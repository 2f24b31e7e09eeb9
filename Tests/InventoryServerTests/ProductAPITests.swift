import Foundation
import HummingbirdTesting
import InventoryServer
import InventoryTestBackends
import Testing

/// The catalog over HTTP: create, look up by id, SKU or barcode, change, list and delete.
@Suite struct ProductAPITests {
    @Test(arguments: TestBackend.allCases)
    func productLifecycle(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            // Given a product
            let created = try await client.createProduct(
                " atta-5kg ", unit: "pack", extra: #","barcode":"8901725181","sale_price":"245.5""#)
            #expect(
                created.sku == "ATTA-5KG" && created.unit == "pack" && created.salePrice == "245.50" && created.active)

            // Then it is found by id, SKU, sku: prefix and barcode
            for path in ["\(created.id)", "atta-5kg", "sku:ATTA-5KG", "barcode:8901725181"] {
                let response = try await client.send(.get, "/v1/products/\(path)")
                #expect(response.status == .ok, "\(path)")
                #expect(try response.decode(ProductWire.self) == created)
            }
            let bySKU = try await client.send(.get, "/v1/products?sku=atta-5kg").decode(PageWire<ProductWire>.self)
            #expect(bySKU.items == [created])
            let byBarcode = try await client.send(.get, "/v1/products?barcode=8901725181").decode(
                PageWire<ProductWire>.self)
            #expect(byBarcode.items == [created])

            // When it is patched, absent fields stay and null clears
            let patched = try await client.send(
                .patch, "/v1/products/\(created.id)",
                json: #"{"barcode":null,"sale_price":250,"name":"Aashirvaad atta 5 kg"}"#)
            #expect(patched.status == .ok)
            let product = try patched.decode(ProductWire.self)
            #expect(product.barcode == nil && product.salePrice == "250.00" && product.name == "Aashirvaad atta 5 kg")
            #expect(product.unit == "pack" && product.sku == "ATTA-5KG")

            // Then a duplicate SKU is a conflict, and deleting hides it
            let duplicate = try await client.send(
                .post, "/v1/products", json: #"{"sku":"Atta-5kg","name":"x","unit":"kg"}"#)
            #expect(duplicate.status == .conflict)
            #expect(try duplicate.problem().type.hasSuffix("duplicate-sku"))
            #expect(try await client.send(.delete, "/v1/products/ATTA-5KG").status == .noContent)
            #expect(try await client.send(.get, "/v1/products/\(created.id)").status == .notFound)
            #expect(try await client.send(.delete, "/v1/products/\(created.id)").status == .notFound)
            let listed = try await client.send(.get, "/v1/products?include_deleted=true").decode(
                PageWire<ProductWire>.self)
            #expect(listed.items.map(\.id) == [created.id])
        }
    }

    @Test(arguments: TestBackend.allCases)
    func listsPageByCursorAndSearch(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            for sku in ["DAL-1", "DAL-2", "RICE-1"] { try await client.createProduct(sku) }
            let first = try await client.send(.get, "/v1/products?limit=2").decode(PageWire<ProductWire>.self)
            #expect(first.items.map(\.sku) == ["DAL-1", "DAL-2"])
            let cursor = try #require(first.nextCursor)
            let second = try await client.send(.get, "/v1/products?limit=2&cursor=\(cursor)").decode(
                PageWire<ProductWire>.self)
            #expect(second.items.map(\.sku) == ["RICE-1"] && second.nextCursor == nil)
            let search = try await client.send(.get, "/v1/products?q=dal").decode(PageWire<ProductWire>.self)
            #expect(search.items.map(\.sku) == ["DAL-1", "DAL-2"])
        }
    }

    @Test(arguments: TestBackend.allCases)
    func suppliersAndStores(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            let created = try await client.send(
                .post, "/v1/suppliers", json: #"{"name":"Sharma Traders","phone":"+91 98100 00000"}"#)
            #expect(created.status == .created)
            let supplier = try created.decode(SupplierWire.self)
            #expect(
                try await client.send(.get, "/v1/suppliers").decode(PageWire<SupplierWire>.self).items == [supplier])
            let stores = try await client.send(.get, "/v1/stores").decode(PageWire<StoreWire>.self)
            #expect(stores.items.map(\.code) == ["MAIN"])
            #expect(try await client.send(.get, "/v1/stores/1").decode(StoreWire.self) == stores.items[0])
            #expect(try await client.send(.get, "/v1/stores/2").status == .notFound)
        }
    }
}

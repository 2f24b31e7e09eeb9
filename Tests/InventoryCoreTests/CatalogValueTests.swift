import InventoryCore
import Testing

/// SKUs, barcodes, references and names are normalised or refused the same way everywhere.
@Suite struct CatalogValueTests {
    @Test(arguments: [(" rice-5kg ", "RICE-5KG"), ("a.b_c", "A.B_C"), ("1001", "1001")])
    func normalisesSKUs(text: String, sku: String) throws {
        #expect(try SKU(text).value == sku)
    }

    @Test(arguments: [
        "", "   ", "RICE 5KG", "RICE/5", "sku:X", "चावल", String(repeating: "A", count: 65),
        // Letters that upper-case into other letters would collide with an existing SKU: STRASSE, FILTER.
        "straße", "ﬁlter", "ǆ", "İ", "ı",
    ])
    func refusesBadSKUs(text: String) {
        #expect(throws: InventoryError.self) { try SKU(text) }
    }

    @Test func acceptsTheLongestSKU() throws {
        #expect(try SKU(String(repeating: "A", count: Limits.skuLengthMax)).value.count == 64)
    }

    @Test(arguments: [
        ("42", ProductReference.id(42)), ("rice", .sku(try! SKU("RICE"))), ("sku:1001", .sku(try! SKU("1001"))),
        ("barcode:8901030865278", .barcode("8901030865278")),
    ])
    func parsesProductReferences(text: String, reference: ProductReference) throws {
        #expect(try ProductReference(parsing: text) == reference)
    }

    @Test(arguments: ["0", "99999999999999999999", "sku:", "barcode:", "barcode:a b"])
    func refusesBadReferences(text: String) {
        #expect(throws: InventoryError.self) { try ProductReference(parsing: text) }
    }

    @Test func validatesNamesAndPhones() throws {
        #expect(try TextRule.required("  Lux soap ", field: "name", lengthMax: 200) == "Lux soap")
        #expect(throws: InventoryError.invalidField(name: "name", reason: "must not contain control characters")) {
            try TextRule.required("Lux\u{0}soap", field: "name", lengthMax: 200)
        }
        #expect(throws: InventoryError.self) {
            try TextRule.required(String(repeating: "x", count: 201), field: "name", lengthMax: 200)
        }
        #expect(try TextRule.required(String(repeating: "x", count: 200), field: "name", lengthMax: 200).count == 200)
        #expect(throws: InventoryError.self) { try SupplierDraft(name: "A", phone: "call me") }
        #expect(try SupplierDraft(name: "A", phone: " ").phone == nil)
        #expect(throws: InventoryError.self) { try ProductUnit(parsing: "dozen") }
        #expect(try ProductUnit(parsing: " KG ") == .kg)
    }

    @Test func cursorsRoundTripAndRefuseForgeries() throws {
        #expect(try PageCursor.decode(PageCursor.encode(123_456)) == [123_456])
        #expect(try PageCursor.decode(PageCursor.encode([7, 9_000_000_000])) == [7, 9_000_000_000])
        #expect(try PageRequest(cursor: PageCursor.encode([7, 8])).afterPair()! == (7, 8))
        #expect(throws: InventoryError.invalidCursor) { try PageRequest(cursor: PageCursor.encode(7)).afterPair() }
        for forged in ["", "abc", "MTIz", String(repeating: "A", count: 80)] {
            #expect(throws: InventoryError.invalidCursor) { try PageCursor.decode(forged) }
        }
        #expect(throws: InventoryError.self) { try PageRequest(limit: 0) }
        #expect(throws: InventoryError.self) { try PageRequest(limit: Limits.pageSizeMax + 1) }
        #expect(try PageRequest(limit: Limits.pageSizeMax).limit == 500)
    }

    @Test func writesBytesAsLowercaseHexadecimal() {
        #expect([UInt8]().hexadecimal == "")
        #expect([0x00, 0x0f, 0x10, 0xab, 0xff].hexadecimal == "000f10abff")
    }
}

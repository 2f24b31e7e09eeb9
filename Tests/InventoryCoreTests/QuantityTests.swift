import InventoryCore
import Testing

/// Quantities and money are exact: text parses to whole smallest units or is refused, never rounded.
@Suite struct QuantityTests {
    @Test(arguments: [
        ("2", 2000), ("-2", -2000), ("1.250", 1250), ("1.25", 1250), ("0.001", 1), ("0.5", 500), ("10", 10_000),
        ("1000000", 1_000_000_000), ("-1000000", -1_000_000_000), ("0", 0), ("1000000.000", 1_000_000_000),
    ])
    func parsesExactDecimals(text: String, thousandths: Int64) throws {
        #expect(try Quantity(parsing: text).thousandths == thousandths)
    }

    @Test(arguments: [
        "", " ", "1.2345", "0.0001", "1e3", "1E3", "0x10", "1,5", "1.", ".5", "--1", "+-1", "1 000", " 2", "NaN",
        "Infinity", "١٢", "1000000.001", "1000001", "99999999999999999999", "-1000000.001",
        // Forms nobody writes a quantity in: a plus sign, leading zeros.
        "+2", "+5", "007", "00000007", "00", "-007", "00.5",
    ])
    func refusesAnythingInexactOrOutOfRange(text: String) {
        #expect(throws: InventoryError.self) { try Quantity(parsing: text) }
    }

    @Test func namesTheFieldAndTheRule() {
        #expect(
            throws: InventoryError.invalidField(
                name: "quantity", reason: "at most 3 digits may follow the decimal point")
        ) {
            try Quantity(parsing: "1.2345")
        }
        #expect(throws: InventoryError.invalidField(name: "quantity", reason: "must not exceed 1000000 in size")) {
            try Quantity(parsing: "1000001")
        }
    }

    @Test(arguments: [
        (2000, "2"), (1250, "1.25"), (1, "0.001"), (-500, "-0.5"), (0, "0"), (-1_000_000_000, "-1000000"),
    ])
    func printsTheShortestExactText(thousandths: Int64, text: String) {
        #expect(Quantity(thousandths: thousandths).description == text)
    }

    @Test(arguments: [("12", 1200), ("12.5", 1250), ("12.50", 1250), ("0", 0), ("10000000", 1_000_000_000)])
    func parsesMoney(text: String, paise: Int64) throws {
        #expect(try Money(parsing: text, field: "price").paise == paise)
        #expect(Money(paise: paise).description.split(separator: ".").last?.count == 2)
    }

    @Test(arguments: ["-1", "12.505", "1e2", "10000000.01", "", "12.5.0"])
    func refusesBadMoney(text: String) {
        #expect(throws: InventoryError.self) { try Money(parsing: text, field: "price") }
    }
}

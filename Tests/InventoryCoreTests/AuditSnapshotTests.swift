import Foundation
import Testing

@testable import InventoryCore

/// Movements' audit snapshots are written directly, for speed; they must be the very text
/// JSONEncoder gives every other snapshot, or the audit log would show two shapes of a movement.
@Suite struct AuditSnapshotTests {
    @Test func movementsAreWrittenAsJSONEncoderWritesThem() throws {
        let now = Date(unixMilliseconds: 1_790_000_000_123)
        let sale = Movement(
            id: 41, storeID: 3, productID: 7, sku: try SKU("RICE-LOOSE"), kind: .sale,
            delta: Quantity(thousandths: -1_250),
            balanceAfter: Quantity(thousandths: 48_750), reason: nil, supplierID: nil, unitCost: nil,
            unitPrice: Money(paise: 6_200), note: nil, occurredAt: now, recordedAt: now.addingTimeInterval(0.5),
            idempotencyKey: "till-1/000123",
            recordedBy: Identity(kind: .user, id: 2, name: "asha"))
        let stockIn = Movement(
            id: 42, storeID: 3, productID: 8, sku: try SKU("ATTA"), kind: .stockIn,
            delta: Quantity(thousandths: 10_000),
            balanceAfter: Quantity(thousandths: 10_000), reason: nil, supplierID: 5, unitCost: Money(paise: 4_150),
            unitPrice: nil, note: "quote \" backslash \\ slash / new\nline\ttab \u{01}\u{1F} बासमती ✓",
            occurredAt: Date(unixMilliseconds: 0), recordedAt: now, idempotencyKey: nil)
        let transfer = Movement(
            id: 43, storeID: 4, productID: 8, sku: try SKU("ATTA"), kind: .transferIn, delta: Quantity(thousandths: 1),
            balanceAfter: Quantity(thousandths: 1), reason: "weekly", supplierID: nil, unitCost: nil, unitPrice: nil,
            note: "", occurredAt: now, recordedAt: now, idempotencyKey: nil, transferID: 9,
            recordedBy: Identity(kind: .apiKey, id: 11, name: "till \"1\""))

        for movements in [[], [sale], [sale, stockIn, transfer]] {
            #expect(AuditSnapshot.json(movements) == AuditSnapshot.encoded(movements))
        }
        #expect(AuditSnapshot.json(sale).hasPrefix(#"{"balance_after":"48.75","delta":"-1.25","id":41,"#))
    }
}

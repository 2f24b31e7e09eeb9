import Foundation
import InventoryCore
import NIOCore
import PostgresNIO

extension PostgresInventoryStorage: SeedLoading {
    /// Loads seeded data with COPY in one transaction. The ledger triggers are off during the load
    /// (the generator builds every chain and level consistently; `godown verify` checks it after).
    public func loadSeed(_ generator: SeedGenerator, progress: @Sendable (String) -> Void) async throws {
        let catalog = generator.catalog
        let started = ContinuousClock.now
        func elapsed() -> String {
            "\((ContinuousClock.now - started).formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))"
        }
        try await unboundedTransaction { connection in
            let used = try await connection.query(
                "SELECT (SELECT count(*) FROM products) + (SELECT count(*) FROM movements) + (SELECT count(*) FROM stores WHERE id > 1)",
                logger: self.logger
            ).collectRows { try $0[0].decode(Int64.self) }[0]
            guard used == 0 else {
                throw InventoryError.invalidField(name: "database", reason: "seed needs an empty database")
            }
            for statement in [
                "ALTER TABLE movements DISABLE TRIGGER USER", "ALTER TABLE stock_levels DISABLE TRIGGER USER",
            ] {
                try await connection.query("\(unescaped: statement)", logger: self.logger)
            }
            try await self.copy(connection, "cities", ["id", "name", "state", "created_at"], catalog.cities) {
                [String($0.id), $0.name, $0.state, CopyText.time($0.createdAt)]
            }
            let first = catalog.stores[0]
            try await connection.query(
                """
                UPDATE stores SET code = \(first.code), name = \(first.name), city_id = \(first.cityID), address = \(first.address)
                WHERE id = 1
                """, logger: self.logger)
            try await self.copy(
                connection, "stores", ["id", "code", "name", "city_id", "address", "active", "created_at"],
                catalog.stores.dropFirst()
            ) {
                [
                    String($0.id), $0.code, $0.name, $0.cityID.map(String.init), $0.address, "t",
                    CopyText.time($0.createdAt),
                ]
            }
            try await self.copy(
                connection, "suppliers", ["id", "name", "contact", "phone", "active", "created_at"], catalog.suppliers
            ) {
                [String($0.id), $0.name, $0.contact, $0.phone, "t", CopyText.time($0.createdAt)]
            }
            try await self.copy(
                connection, "products",
                ["id", "sku", "name", "unit", "barcode", "sale_price", "active", "created_at", "updated_at"],
                catalog.products
            ) {
                [
                    String($0.id), $0.sku.value, $0.name, $0.unit.rawValue, $0.barcode,
                    $0.salePrice.map { String($0.paise) }, "t",
                    CopyText.time($0.createdAt), CopyText.time($0.updatedAt),
                ]
            }
            try await self.copy(
                connection, "product_suppliers",
                ["product_id", "supplier_id", "supplier_sku", "cost_price", "lead_time_days", "preferred"],
                catalog.links
            ) {
                [
                    String($0.productID), String($0.supplierID), $0.supplierSKU, String($0.costPrice.paise),
                    String($0.leadTimeDays),
                    $0.preferred ? "t" : "f",
                ]
            }
            try await self.copy(
                connection, "transfers", ["id", "from_store_id", "to_store_id", "note", "created_at"], catalog.transfers
            ) {
                [
                    String($0.id), String($0.fromStoreID), String($0.toStoreID), "weekly transfer",
                    CopyText.time($0.createdAt),
                ]
            }
            progress(
                "catalog: \(catalog.cities.count) cities, \(catalog.stores.count) stores, \(catalog.suppliers.count) suppliers, \(catalog.products.count) products (\(elapsed()))"
            )

            var movements = generator.makeMovements()
            try await self.copyMovements(connection, &movements) { count in
                progress("movements: \(count) (\(elapsed()))")
            }
            progress("movements: \(movements.count) in all (\(elapsed()))")
            var levels = 0
            try await connection.copyFrom(
                table: "stock_levels", columns: ["store_id", "product_id", "on_hand", "reorder_level"],
                logger: self.logger
            ) { writer in
                var row = CopyRowWriter()
                for level in generator.stockLevels(after: movements) {
                    row.integer(level.storeID)
                    row.integer(level.productID)
                    row.integer(level.onHand)
                    row.integer(level.reorderLevel)
                    row.endRow()
                    levels += 1
                    if row.buffer.readableBytes > 1 << 20 {
                        try await writer.write(row.buffer)
                        row.buffer.clear()
                    }
                    if levels % 1_000_000 == 0 { progress("stock levels: \(levels) (\(elapsed()))") }
                }
                if row.buffer.readableBytes > 0 { try await writer.write(row.buffer) }
            }
            progress("stock levels: \(levels) in all (\(elapsed()))")
            for statement in [
                "ALTER TABLE movements ENABLE TRIGGER USER", "ALTER TABLE stock_levels ENABLE TRIGGER USER",
                "SELECT setval('cities_id_seq', (SELECT max(id) FROM cities))",
                "SELECT setval('stores_id_seq', (SELECT max(id) FROM stores))",
                "SELECT setval('suppliers_id_seq', (SELECT max(id) FROM suppliers))",
                "SELECT setval('products_id_seq', (SELECT max(id) FROM products))",
                "SELECT setval('transfers_id_seq', GREATEST((SELECT max(id) FROM transfers), 1))",
                "SELECT setval('movements_id_seq', (SELECT max(id) FROM movements))",
            ] {
                try await connection.query("\(unescaped: statement)", logger: self.logger)
            }
        }
        // Vacuum marks the loaded pages all-visible, so reports can answer from covering indexes alone.
        try await unboundedAccess { connection in
            _ = try await connection.query("VACUUM (ANALYZE)", logger: self.logger)
        }
        progress("committed, vacuumed and analysed (\(elapsed()))")
    }

    /// Streams `rows` into `table` with COPY … FROM STDIN in text format, a megabyte at a time.
    private func copy<Rows: Sequence>(
        _ connection: GuardedConnection, _ table: String, _ columns: [String], _ rows: Rows,
        _ fields: (Rows.Element) throws -> [String?]
    ) async throws {
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            var buffer = ByteBuffer()
            for row in rows {
                CopyText.appendRow(try fields(row), to: &buffer)
                if buffer.readableBytes > 1 << 20 {
                    try await writer.write(buffer)
                    buffer.clear()
                }
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
    }

    private func copyMovements(
        _ connection: GuardedConnection, _ movements: inout SeedMovements, report: (Int) -> Void
    ) async throws {
        var iterator = movements
        try await connection.copyFrom(
            table: "movements",
            columns: [
                "id", "store_id", "product_id", "kind", "delta", "balance_after", "reason", "supplier_id", "unit_cost",
                "unit_price", "occurred_at", "recorded_at", "transfer_id",
            ],
            logger: logger
        ) { writer in
            // Fields go straight into the buffer: ten million rows leave no room for a String each.
            var row = CopyRowWriter()
            while let movement = iterator.next() {
                row.integer(movement.id)
                row.integer(movement.storeID)
                row.integer(movement.productID)
                row.text(movement.kind.rawValue)
                row.integer(movement.delta)
                row.integer(movement.balanceAfter)
                row.text(movement.reason)
                row.integer(movement.supplierID)
                row.integer(movement.unitCost)
                row.integer(movement.unitPrice)
                row.time(milliseconds: movement.occurredAtMilliseconds)
                row.time(milliseconds: movement.occurredAtMilliseconds)
                row.integer(movement.transferID)
                row.endRow()
                if row.buffer.readableBytes > 1 << 20 {
                    try await writer.write(row.buffer)
                    row.buffer.clear()
                }
                if iterator.count % 1_000_000 == 0 { report(iterator.count) }
            }
            if row.buffer.readableBytes > 0 { try await writer.write(row.buffer) }
        }
        movements = iterator
    }
}

/// Writes COPY text rows field by field without intermediate strings; remembers the last
/// timestamp it formatted, since seeded rows share few distinct instants.
struct CopyRowWriter {
    var buffer = ByteBuffer()
    private var fieldsInRow = 0
    private var lastTime: (milliseconds: Int64, text: String) = (.min, "")

    private mutating func separate() {
        if fieldsInRow > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
        fieldsInRow += 1
    }

    mutating func integer(_ value: Int64?) {
        separate()
        guard var value else {
            buffer.writeStaticString("\\N")
            return
        }
        if value < 0 {
            buffer.writeInteger(UInt8(ascii: "-"))
            value = -value
        }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { bytes in
            repeat {
                bytes[19 - count] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
                count += 1
            } while value > 0
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[(20 - count)...]))
        }
    }

    mutating func text(_ value: String?) {
        separate()
        guard let value else {
            buffer.writeStaticString("\\N")
            return
        }
        CopyText.appendEscaped(value, to: &buffer)
    }

    mutating func time(milliseconds: Int64) {
        separate()
        if lastTime.milliseconds != milliseconds {
            lastTime = (milliseconds, CopyText.time(milliseconds: milliseconds))
        }
        buffer.writeString(lastTime.text)
    }

    mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        fieldsInRow = 0
    }
}

/// PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash escapes.
enum CopyText {
    static func appendRow(_ fields: [String?], to buffer: inout ByteBuffer) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            guard let field else {
                buffer.writeStaticString("\\N")
                continue
            }
            appendEscaped(field, to: &buffer)
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    static func appendEscaped(_ text: String, to buffer: inout ByteBuffer) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    static func time(_ date: Date) -> String {
        time(milliseconds: date.unixMilliseconds)
    }

    /// "2026-11-21 08:30:00.125+00", from days since 1970 by Howard Hinnant's civil-from-days.
    static func time(milliseconds: Int64) -> String {
        let days = milliseconds >= 0 ? milliseconds / 86_400_000 : (milliseconds - 86_399_999) / 86_400_000
        let rest = milliseconds - days * 86_400_000
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let hours = rest / 3_600_000
        let minutes = rest / 60_000 % 60
        let seconds = rest / 1_000 % 60
        let millis = rest % 1_000
        let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(year)-\(two(month))-\(two(day)) \(two(hours)):\(two(minutes)):\(two(seconds)).\(fraction)+00"
    }
}

import Foundation
import GRDB
import InventoryTestBackends
import Testing

/// The CLI, run as the real executable: the same ledger rules, readable tables, JSON for
/// scripts, errors on standard error with a non-zero status.
@Suite struct CLITests {
    @Test(arguments: TestBackend.allCases)
    func aShopOwnersDay(backend: TestBackend) async throws {
        try await GodownExecutable.withTemporaryFolder(backend: backend) { godown in
            let initialised = try godown.run("init")
            #expect(initialised.status == 0)
            #expect(initialised.output.contains("Store 1: Main store (MAIN)"))

            #expect(
                try godown.run("product", "add", "rice-loose", "Sona masoori rice", "--unit", "kg", "--price", "62")
                    .status == 0)
            #expect(try godown.run("product", "add", "SOAP", "Lux soap", "--barcode", "8901030865278").status == 0)
            #expect(try godown.run("supplier", "add", "Sharma Traders", "--phone", "98100 00000").status == 0)

            let received = try godown.run("stock", "in", "RICE-LOOSE", "50", "--supplier", "1", "--unit-cost", "48.5")
            #expect(received.output.contains("stock_in RICE-LOOSE +50, on hand now 50"))
            #expect(try godown.run("stock", "sale", "rice-loose", "1.250").output.contains("on hand now 48.75"))
            #expect(try godown.run("stock", "remove", "RICE-LOOSE", "0.75", "--reason", "damaged").status == 0)
            #expect(
                try godown.run("stock", "adjust", "RICE-LOOSE", "-3", "--reason", "spilled").output.contains(
                    "-3, on hand now 45"))
            #expect(
                try godown.run("stock", "count", "RICE-LOOSE", "44.5").output.contains(
                    "count RICE-LOOSE -0.5, on hand now 44.5"))
            #expect(try godown.run("stock", "in", "barcode:8901030865278", "12").status == 0)
            #expect(try godown.run("stock", "reorder-level", "SOAP", "12").status == 0)

            let table = try godown.run("stock")
            #expect(table.output.contains("RICE-LOOSE  Sona masoori rice     44.5  kg"))
            #expect(table.output.contains("LOW"))
            let low = try #require(try godown.json("stock", "--low") as? [[String: Any]])
            #expect(low.map { $0["sku"] as? String } == ["SOAP"])
            let history = try #require(
                try godown.json("history", "--sku", "rice-loose", "--kind", "sale") as? [[String: Any]])
            #expect(history.count == 1)
            #expect(history.first?["delta"] as? String == "-1.25")
            #expect(history.first?["unit_price"] as? String == "62.00")

            let verify = try godown.run("verify")
            #expect(verify.status == 0)
            #expect(verify.output.contains("Checked 6 movements in 2 stock chains."))
        }
    }

    @Test(arguments: TestBackend.allCases)
    func errorsGoToStandardErrorWithAFailingStatus(backend: TestBackend) async throws {
        try await GodownExecutable.withTemporaryFolder(backend: backend) { godown in
            try godown.run("product", "add", "EGG", "Eggs")
            try godown.run("stock", "in", "EGG", "6")

            let oversold = try godown.run("stock", "sale", "EGG", "7")
            #expect(oversold.status != 0)
            #expect(oversold.output.isEmpty)
            #expect(oversold.errors.contains("insufficient stock of EGG in store 1: requested 7, available 6"))
            let fractional = try godown.run("stock", "sale", "EGG", "0.5")
            #expect(fractional.status != 0 && fractional.errors.contains("use a whole number"))
            let unknown = try godown.run("stock", "sale", "NOPE", "1")
            #expect(unknown.status != 0 && unknown.errors.contains("no product matches SKU NOPE"))
            let noReason = try godown.run("stock", "remove", "EGG", "1")
            #expect(noReason.status != 0 && noReason.errors.contains("a removal needs a reason"))
            let twoQuantities = try godown.run("stock", "sale", "EGG", "1", "2")
            #expect(twoQuantities.status != 0)
            let level = try #require(try godown.json("stock") as? [[String: Any]])
            #expect(level.first?["on_hand"] as? String == "6")
        }
    }

    @Test(arguments: TestBackend.allCases)
    func anIdempotencyKeyMakesARetriedCommandApplyOnce(backend: TestBackend) async throws {
        try await GodownExecutable.withTemporaryFolder(backend: backend) { godown in
            try godown.run("product", "add", "TEA", "Tea", "--unit", "pack")
            try godown.run("stock", "in", "TEA", "10")
            let first = try godown.run("stock", "sale", "TEA", "2", "--idempotency-key", "evening-close-1")
            let retry = try godown.run("stock", "sale", "TEA", "2", "--idempotency-key", "evening-close-1")
            #expect(first.status == 0 && retry.status == 0)
            #expect(retry.output.contains("already recorded"))
            let other = try godown.run("stock", "sale", "TEA", "3", "--idempotency-key", "evening-close-1")
            #expect(other.status != 0 && other.errors.contains("already used for a different request"))
            // Without a key, each command is new.
            try godown.run("stock", "sale", "TEA", "2")
            try godown.run("stock", "sale", "TEA", "2")
            let level = try #require(try godown.json("stock") as? [[String: Any]])
            #expect(level.first?["on_hand"] as? String == "4")
        }
    }

    @Test func theDatabaseComesFromTheFlagOrTheEnvironment() async throws {
        try await GodownExecutable.withTemporaryFolder { godown in
            let environment = ["GODOWN_DATABASE": godown.folder.appendingPathComponent("shop.sqlite").path]
            let fromEnvironment = try godown.run("product", "add", "ENV", "From env", environment: environment)
            let fromFlag = try godown.run("product", "add", "FLAG", "From flag", "--database", "other.sqlite")
            #expect(fromEnvironment.status == 0 && fromFlag.status == 0)
            let listedFromEnvironment = try godown.run("product", "list", environment: environment).output
            #expect(listedFromEnvironment.contains("ENV") && !listedFromEnvironment.contains("FLAG"))
            let listedFromFlag = try godown.run(
                "product", "list", "--database", "other.sqlite", environment: environment)
            #expect(listedFromFlag.output.contains("FLAG") && !listedFromFlag.output.contains("ENV"))
            #expect(!FileManager.default.fileExists(atPath: godown.folder.appendingPathComponent("godown.sqlite").path))
        }
    }

    @Test func serveRefusesASchemaNewerThanItKnows() async throws {
        try await GodownExecutable.withTemporaryFolder { godown in
            try godown.run("init")
            let queue = try DatabaseQueue(path: godown.folder.appendingPathComponent("godown.sqlite").path)
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('9999_from_a_newer_godown')")
            }
            let served = try godown.run("serve", "--port", "0")
            #expect(served.status != 0)
            #expect(served.errors.contains("was written by a newer Godown"))
            #expect(try godown.run("migrate").status != 0)
        }
    }

    @Test func verifyFailsOnATamperedLedger() async throws {
        try await GodownExecutable.withTemporaryFolder { godown in
            try godown.run("product", "add", "OIL", "Oil", "--unit", "l")
            try godown.run("stock", "in", "OIL", "5")
            try godown.run("stock", "sale", "OIL", "1")
            let queue = try DatabaseQueue(path: godown.folder.appendingPathComponent("godown.sqlite").path)
            try await queue.write { db in
                try db.execute(sql: "DROP TRIGGER movements_append_only_update")
                try db.execute(sql: "UPDATE movements SET delta = -2000 WHERE id = 2")
            }
            let verify = try godown.run("verify")
            #expect(verify.status == 2)
            #expect(verify.errors.contains("store 1, product 1, movement 2: balance_after is 4, the chain says 3"))
        }
    }
}

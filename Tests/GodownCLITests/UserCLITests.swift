import Foundation
import GRDB
import InventoryTestBackends
import Testing

/// Users are managed from the server's machine with passwords on standard input, every change is
/// audited under the operating-system user, and `godown audit verify` catches a tampered log.
@Suite struct UserCLITests {
    @Test(arguments: TestBackend.allCases)
    func usersAreManagedAndAudited(backend: TestBackend) async throws {
        try await GodownExecutable.withTemporaryFolder(backend: backend) { godown in
            let added = try godown.run(
                "user", "add", "Asha", "--role", "clerk", "--store", "1", "--bcrypt-cost", "4", input: "asha-secret\n")
            #expect(added.status == 0, "\(added.errors)")
            #expect(added.output.contains("asha") && added.output.contains("clerk"))
            #expect(
                try godown.run("user", "add", "noone", "--role", "clerk", "--bcrypt-cost", "4", input: "long-enough\n")
                    .errors.contains("a clerk needs at least one store"))
            #expect(
                try godown.run("user", "add", "short", "--role", "auditor", "--bcrypt-cost", "4", input: "abc\n").status
                    != 0)
            #expect(try godown.run("store", "add", "s2", "Second").status == 0)
            #expect(try godown.run("user", "assign", "asha", "--store", "1", "--store", "2").output.contains("1,2"))
            #expect(try godown.run("user", "passwd", "asha", "--bcrypt-cost", "4", input: "new-secret-1\n").status == 0)
            #expect(try godown.run("user", "deactivate", "asha").status == 0)
            let listed = try godown.run("user", "list").output
            #expect(listed.contains("asha") && listed.contains("no"))

            let verified = try godown.run("audit", "verify")
            #expect(verified.status == 0)
            #expect(verified.output.contains("The audit log is intact."))
        }
    }

    @Test func auditVerifyFailsOnATamperedLog() async throws {
        try await GodownExecutable.withTemporaryFolder(backend: .sqlite) { godown in
            #expect(try godown.run("product", "add", "DAL", "Toor dal").status == 0)
            #expect(try godown.run("product", "add", "SALT", "Salt").status == 0)
            let queue = try DatabaseQueue(path: try #require(godown.database))
            try await queue.write { db in
                try db.execute(sql: "DROP TRIGGER audit_log_no_update")
                try db.execute(sql: "UPDATE audit_log SET after = replace(after, 'Toor', 'Moong') WHERE id = 1")
            }
            let verified = try godown.run("audit", "verify")
            #expect(verified.status == 2)
            #expect(verified.errors.contains("entry 1: altered"))
        }
    }
}

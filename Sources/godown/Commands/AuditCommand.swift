import ArgumentParser
import InventoryCore

/// `godown audit verify`: walks every audit chain and names the first altered, missing or
/// out-of-order entry of each.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check the audit log.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hash chains of the audit log; exit 2 when one is broken.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let result = try await database.withStorage { try await $0.verifyAuditLog() }
            print("Checked \(result.entriesChecked) audit entries in \(result.chains) chain(s).")
            if result.chainsStartingAfterArchive > 0 {
                print(
                    "\(result.chainsStartingAfterArchive) chain(s) start after archived entries; check those against the archive."
                )
            }
            guard !result.isIntact else {
                print("The audit log is intact.")
                return
            }
            Output.printError("The audit log has \(result.breaks.count) broken chain(s):")
            for auditBreak in result.breaks.prefix(Limits.auditBreaksReportedMax) {
                let entry = auditBreak.entryID.map { "entry \($0)" } ?? "the end"
                Output.printError(
                    "  chain \(auditBreak.chain), sequence \(auditBreak.sequence), \(entry): "
                        + "\(auditBreak.problem.rawValue): \(auditBreak.detail)")
            }
            throw ExitCode(2)
        }
    }
}

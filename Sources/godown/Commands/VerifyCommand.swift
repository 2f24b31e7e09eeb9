import ArgumentParser

/// `godown verify`: walks the ledger and reports every break in the balance chains.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that every product's movements sum to its on-hand, with no gap in the chain.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let result = try await database.withStorage { storage in try await storage.verifyLedger() }
        print("Checked \(result.movementsChecked) movements in \(result.chainsChecked) stock chains.")
        guard !result.isIntact else {
            print("The ledger is intact.")
            return
        }
        Output.printError("The ledger has \(result.breakCount) break(s):")
        for ledgerBreak in result.breaks {
            Output.printError("  \(ledgerBreak)")
        }
        if result.breakCount > result.breaks.count {
            Output.printError("  … and \(result.breakCount - result.breaks.count) more")
        }
        throw ExitCode(2)
    }
}

import ArgumentParser
import InventoryCore
import InventoryServer

/// `godown supplier add|list`.
struct SupplierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supplier", abstract: "Manage suppliers.", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a supplier.")
        @Argument(help: "The supplier's name.") var name: String
        @Option(help: "A phone number.") var phone: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let draft = try SupplierDraft(name: name, phone: phone)
            let supplier = try await database.withStorage { storage in
                try await storage.createSupplier(draft, by: .commandLine)
            }
            try SupplierCommand.show([supplier], output: output)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List suppliers.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let suppliers = try await database.withStorage { storage in
                try await Paging.all { page in try await storage.listSuppliers(DirectoryQuery(page: page)) }
            }
            try SupplierCommand.show(suppliers, output: output)
        }
    }

    static func show(_ suppliers: [Supplier], output: OutputOptions) throws {
        if output.json {
            try Output.printJSON(suppliers.map(SupplierWire.init))
            return
        }
        Output.printTable(
            headers: ["ID", "NAME", "PHONE"], rows: suppliers.map { ["\($0.id)", $0.name, $0.phone ?? ""] },
            rightAligned: ["ID"])
    }
}

import ArgumentParser
import Foundation
import InventoryCore
import InventoryServer

/// `godown city add|list`.
struct CityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "city", abstract: "Manage cities.", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a city.")
        @Argument var name: String
        @Option var state: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let draft = try CityDraft(name: name, state: state)
            let city = try await database.withStorage { try await $0.createCity(draft, by: .commandLine) }
            print("City \(city.id): \(city.name)\(city.state.map { ", \($0)" } ?? "")")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List cities.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let cities = try await database.withStorage { storage in
                try await Paging.all { try await storage.listCities(DirectoryQuery(page: $0)) }
            }
            if output.json { return try Output.printJSON(cities.map(CityWire.init)) }
            Output.printTable(
                headers: ["ID", "NAME", "STATE"], rows: cities.map { ["\($0.id)", $0.name, $0.state ?? ""] },
                rightAligned: ["ID"])
        }
    }
}

/// `godown store add|list`.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Manage stores.", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a store.")
        @Argument(help: "A short unique code, such as PUN-01.") var code: String
        @Argument var name: String
        @Option(help: "The city id.") var city: Int64?
        @Option var address: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let draft = try StoreDraft(code: code, name: name, cityID: city, address: address)
            let store = try await database.withStorage { try await $0.createStore(draft, by: .commandLine) }
            print("Store \(store.id): \(store.name) (\(store.code))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List stores.")
        @Option(help: "Only stores in this city id.") var city: Int64?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let city = city
            let stores = try await database.withStorage { storage in
                try await Paging.all { try await storage.listStores(StoreQuery(scope: .all, cityID: city, page: $0)) }
            }
            if output.json { return try Output.printJSON(stores.map(StoreWire.init)) }
            Output.printTable(
                headers: ["ID", "CODE", "NAME", "CITY", "ACTIVE"],
                rows: stores.map {
                    ["\($0.id)", $0.code, $0.name, $0.cityID.map(String.init) ?? "", $0.active ? "yes" : "no"]
                },
                rightAligned: ["ID"])
        }
    }
}

/// `godown transfer FROM TO SKU=QTY…`: moves goods between stores, every line or none.
struct TransferCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer", abstract: "Move goods from one store to another, every line or none.")
    @Argument(help: "The store id goods leave.") var from: Int64
    @Argument(help: "The store id goods arrive at.") var to: Int64
    @Argument(help: "Lines as SKU=QTY, such as RICE=12.5 OIL=4.") var lines: [String]
    @Option var note: String?
    @Option(help: "Makes a retried command apply once (default: a fresh key).") var idempotencyKey: String?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let parsed = try lines.map { text -> TransferRequest.Line in
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("write each line as SKU=QTY, not \(text)") }
            return try TransferRequest.Line(
                product: ProductReference(parsing: parts[0]), quantity: Quantity(parsing: parts[1]))
        }
        var request = try TransferRequest(fromStoreID: from, toStoreID: to, lines: parsed, note: note)
        request.idempotency = try IdempotencyClaim(
            key: idempotencyKey ?? UUID().uuidString, requestHash: RequestFingerprint.of(request))
        let transferRequest = request
        let recorded = try await database.withStorage { try await $0.transferStock(transferRequest, by: .commandLine) }
        if output.json { return try Output.printJSON(TransferWire(recorded.transfer)) }
        let moved = recorded.transfer.lines.map { "\($0.sku) \($0.quantity)" }.joined(separator: ", ")
        print(
            "Transfer \(recorded.transfer.id) from store \(from) to store \(to): \(moved)"
                + (recorded.replayed ? " (already recorded under this key; nothing changed)" : ""))
    }
}

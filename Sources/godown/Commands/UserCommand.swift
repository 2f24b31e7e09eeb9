import ArgumentParser
import Foundation
import HummingbirdBcrypt
import InventoryCore
import InventoryServer

/// `godown user add|list|passwd|deactivate|assign`: managing users from the server's machine.
/// Passwords are read from standard input, never from arguments (which other users can see).
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users.",
        subcommands: [Add.self, List.self, Passwd.self, Deactivate.self, Assign.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user; the password is read from standard input.")
        @Argument(help: "The username.") var username: String
        @Option(help: "admin, manager, clerk or auditor.") var role: Role
        @Option(name: .customLong("store"), help: "A store the user works at (repeat for several).")
        var stores: [Int64] = []
        @Option(help: "bcrypt cost of the password hash.") var bcryptCost: UInt8 = 12
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let hash = try UserCommand.readPasswordHash(cost: bcryptCost)
            let draft = try UserDraft(username: username, passwordHash: hash, role: role, storeIDs: stores)
            let user = try await database.withStorage { try await $0.createUser(draft, by: .commandLine) }
            try UserCommand.show([user], output: output)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let users = try await database.withStorage { storage in
                try await Paging.all { page in try await storage.listUsers(page) }
            }
            try UserCommand.show(users, output: output)
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's password (read from standard input); their sessions end.")
        @Argument(help: "The username.") var username: String
        @Option(help: "bcrypt cost of the password hash.") var bcryptCost: UInt8 = 12
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let hash = try UserCommand.readPasswordHash(cost: bcryptCost)
            try await UserCommand.change(username, database: database) { _ in UserChanges(passwordHash: hash) }
            print("Password of \(username) changed.")
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deactivate a user; their sessions end.")
        @Argument(help: "The username.") var username: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await UserCommand.change(username, database: database) { _ in UserChanges(active: false) }
            print("Deactivated \(username).")
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set the stores a manager or clerk works at.")
        @Argument(help: "The username.") var username: String
        @Option(name: .customLong("store"), help: "A store (repeat for several).") var stores: [Int64]
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let user = try await UserCommand.change(username, database: database) { _ in UserChanges(storeIDs: stores) }
            try UserCommand.show([user], output: output)
        }
    }

    @discardableResult
    static func change(
        _ username: String, database: DatabaseOptions, _ changes: @escaping @Sendable (User) -> UserChanges
    ) async throws -> User {
        let name = try User.validatedUsername(username)
        return try await database.withStorage { storage in
            guard let user = try await storage.credential(username: name)?.user else {
                throw ValidationError("no user is named \(name)")
            }
            return try await storage.updateUser(id: user.id, changes: changes(user), by: .commandLine)
        }
    }

    /// Reads one line from standard input and hashes it.
    static func readPasswordHash(cost: UInt8) throws -> String {
        guard (4...31).contains(cost) else { throw ValidationError("bcrypt cost must be 4 to 31") }
        guard let password = readLine(strippingNewline: true), !password.isEmpty else {
            throw ValidationError(
                "give the password on standard input, e.g. printf '%s\\n' \"$PASSWORD\" | godown user …")
        }
        try User.validatePassword(password)
        return Bcrypt.hash(password, cost: cost)
    }

    static func show(_ users: [User], output: OutputOptions) throws {
        if output.json {
            try Output.printJSON(users.map(UserWire.init))
            return
        }
        Output.printTable(
            headers: ["ID", "USERNAME", "ROLE", "STORES", "ACTIVE"],
            rows: users.map { user in
                [
                    String(user.id), user.username, user.role.rawValue,
                    user.storeIDs.isEmpty ? "all" : user.storeIDs.map(String.init).joined(separator: ","),
                    user.active ? "yes" : "no",
                ]
            })
    }
}

extension Role: ExpressibleByArgument {}

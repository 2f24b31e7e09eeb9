import ArgumentParser
import Foundation
import HummingbirdBcrypt
import InventoryCore
import InventoryServer

extension ChangeContext {
    /// A change made with this command line, recorded under the operating-system user who ran it.
    static var commandLine: ChangeContext {
        .commandLine(ProcessInfo.processInfo.environment["USER"] ?? "unknown")
    }
}

/// How `godown serve` authenticates and limits callers.
struct AccessOptions: ParsableArguments {
    static let tokenKeyVariable = "GODOWN_TOKEN_KEY"
    static let adminPasswordVariable = "GODOWN_ADMIN_PASSWORD"

    @Option(help: "Minutes an access token is honoured.")
    var accessTokenMinutes = 15

    @Option(help: "Days a refresh token may wait to be exchanged.")
    var refreshTokenDays = 30

    @Option(help: "bcrypt cost of new password hashes (4 to 31; each step doubles the work).")
    var bcryptCost: UInt8 = 12

    @Option(help: "Requests each user or API key may make in a burst.")
    var rateLimitBurst = 600

    @Option(help: "Requests each user or API key may make per second, sustained.")
    var rateLimitPerSecond = 50

    @Option(help: "Password attempts per username (and four times as many per address) per 15 minutes.")
    var loginAttempts = 5

    /// The configuration, with the token key from `GODOWN_TOKEN_KEY` or, without it, a random one
    /// (tokens then die with the process and are not shared between instances).
    func configuration(warn: (String) -> Void) throws -> AccessConfiguration {
        for (name, value, range) in [
            ("--rate-limit-per-second", rateLimitPerSecond, 1...10_000),
            ("--rate-limit-burst", rateLimitBurst, 1...1_000_000),
            ("--login-attempts", loginAttempts, 1...1_000), ("--bcrypt-cost", Int(bcryptCost), 4...31),
            ("--access-token-minutes", accessTokenMinutes, 1...1_440),
            ("--refresh-token-days", refreshTokenDays, 1...365),
        ] where !range.contains(value) {
            throw ValidationError("\(name) must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
        }
        let key: [UInt8]
        if let text = ProcessInfo.processInfo.environment[Self.tokenKeyVariable] {
            guard text.utf8.count >= 32 else {
                throw ValidationError("\(Self.tokenKeyVariable) must be at least 32 characters")
            }
            key = Array(text.utf8)
        } else {
            warn(
                "\(Self.tokenKeyVariable) is not set: access tokens are signed with a random key and stop working when this process stops"
            )
            var generator = SystemRandomNumberGenerator()
            key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
        let windowMilliseconds = 15 * 60 * 1000
        return AccessConfiguration(
            tokenSigningKey: key, accessTokenLifetime: .seconds(accessTokenMinutes * 60),
            refreshTokenLifetime: .seconds(refreshTokenDays * 24 * 3600), bcryptCost: bcryptCost,
            rateLimits: RateLimitConfiguration(
                perPrincipal: TokenBucketRule(
                    capacity: rateLimitBurst, refillEvery: .nanoseconds(1_000_000_000 / rateLimitPerSecond)),
                loginPerUsername: TokenBucketRule(
                    capacity: loginAttempts, refillEvery: .milliseconds(windowMilliseconds / loginAttempts)),
                loginPerAddress: TokenBucketRule(
                    capacity: loginAttempts * 4, refillEvery: .milliseconds(windowMilliseconds / (loginAttempts * 4)))))
    }

    /// On a database without users, creates `admin` with `GODOWN_ADMIN_PASSWORD` or a generated
    /// password, which is printed once to standard output (never to the log).
    static func bootstrapAdmin(_ storage: some AccessReader & AccessWriter, bcryptCost: UInt8) async throws {
        guard try await storage.listUsers(PageRequest(limit: 1)).items.isEmpty else { return }
        let given = ProcessInfo.processInfo.environment[adminPasswordVariable]
        let password = given ?? generatedPassword()
        try User.validatePassword(password)
        let hash = Bcrypt.hash(password, cost: bcryptCost)
        let bootstrap = ChangeContext(actor: Identity(kind: .system, id: nil, name: "bootstrap"), role: .admin)
        guard try await storage.bootstrapAdmin(passwordHash: hash, by: bootstrap) else { return }
        if given == nil {
            Output.printNow(
                "Created the user admin with password \(password) (shown once; change it with godown user passwd admin)."
            )
        } else {
            Output.printNow("Created the user admin with the password from \(adminPasswordVariable).")
        }
    }

    private static func generatedPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet.randomElement(using: &generator)! })
    }
}

import Foundation

/// Random secrets and their one-way hashes: refresh tokens and API keys are stored only as SHA-256,
/// which is enough for 256-bit random secrets (nothing to guess, so no need for a slow hash).
enum Secrets {
    /// `bytes` random bytes from the system's generator, base64url without padding.
    static func random(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// API keys start with this, so a leaked one is easy to recognise (and to scan for).
    static let apiKeyPrefix = "gdk_"
}

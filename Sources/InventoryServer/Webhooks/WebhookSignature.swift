import Crypto
import Foundation

/// Standard Webhooks signing: a secret `whsec_<base64 of 32 random bytes>`, and for each request
/// `webhook-signature: v1,<base64 HMAC-SHA256 of "webhook-id.webhook-timestamp.body">` keyed with
/// the secret's bytes.
public enum WebhookSignature {
    static let secretPrefix = "whsec_"

    /// A new endpoint's secret.
    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        return secretPrefix + bytes.base64EncodedString()
    }

    /// The `webhook-signature` header value.
    public static func sign(secret: String, id: String, timestamp: Int, body: String) -> String {
        let encoded = secret.hasPrefix(secretPrefix) ? String(secret.dropFirst(secretPrefix.count)) : secret
        let key = SymmetricKey(data: Data(base64Encoded: encoded) ?? Data(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(id).\(timestamp).\(body)".utf8), using: key)
        return "v1," + Data(mac).base64EncodedString()
    }
}

import Crypto
import InventoryCore

/// The hash an idempotency key is bound to: SHA-256 of the request's canonical text.
public enum RequestFingerprint {
    public static func of(_ batch: MovementBatch) -> String {
        SHA256.hash(data: Array(batch.canonicalText.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

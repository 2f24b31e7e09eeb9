import InventoryCore
import InventoryDigest

/// The hash an idempotency key is bound to: SHA-256 of the request's canonical text.
public enum RequestFingerprint {
    public static func of(_ batch: MovementBatch) -> String {
        of(canonicalText: batch.canonicalText)
    }

    public static func of(_ transfer: TransferRequest) -> String {
        of(canonicalText: transfer.canonicalText)
    }

    static func of(canonicalText: String) -> String {
        Digest.sha256Hex(canonicalText)
    }
}

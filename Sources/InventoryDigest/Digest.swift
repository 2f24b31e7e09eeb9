import Crypto
import Foundation
import InventoryCore

/// SHA-256 in lower-case hex: the audit log's chain hashes, and the stored form of refresh tokens,
/// API keys and idempotent requests. One place for every module that hashes (the core itself stays
/// free of cryptography libraries).
public enum Digest {
    public static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).hexadecimal
    }
}

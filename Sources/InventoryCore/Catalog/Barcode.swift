/// Validation of product barcodes: letters, digits and '-' (EAN, UPC and shop-printed codes).
public enum Barcode {
    /// Returns the trimmed barcode or throws when it is empty, too long or holds other characters.
    public static func validated(_ text: String) throws(InventoryError) -> String {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty, trimmed.count <= Limits.barcodeLengthMax,
            trimmed.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-")
            })
        else {
            throw .invalidField(
                name: "barcode", reason: "must be 1 to \(Limits.barcodeLengthMax) letters, digits or '-'")
        }
        return trimmed
    }
}

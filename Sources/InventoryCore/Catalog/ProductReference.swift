/// How a request names a product: by id, SKU or barcode.
///
/// In a path segment, digits alone are an id, `sku:` and `barcode:` prefixes say what follows,
/// and any other text is a SKU. So SKU "1001" is written `sku:1001`, and an id can never be
/// mistaken for a SKU.
public enum ProductReference: Sendable, Hashable, CustomStringConvertible {
    case id(Int64)
    case sku(SKU)
    case barcode(String)

    public init(parsing text: String) throws(InventoryError) {
        let trimmed = text.trimmingWhitespace()
        if trimmed.hasPrefix("sku:") {
            self = .sku(try SKU(String(trimmed.dropFirst(4))))
        } else if trimmed.hasPrefix("barcode:") {
            self = .barcode(try Barcode.validated(String(trimmed.dropFirst(8))))
        } else if !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let id = Int64(trimmed), id > 0 else {
                throw .invalidField(name: "product", reason: "id is out of range")
            }
            self = .id(id)
        } else {
            self = .sku(try SKU(trimmed))
        }
    }

    public var description: String {
        switch self {
        case .id(let id): "id \(id)"
        case .sku(let sku): "SKU \(sku)"
        case .barcode(let barcode): "barcode \(barcode)"
        }
    }
}

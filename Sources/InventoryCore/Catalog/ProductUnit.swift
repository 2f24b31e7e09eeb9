/// The unit a product is counted in.
public enum ProductUnit: String, Sendable, CaseIterable, Codable {
    case piece, pack, kg, g, l, ml

    /// Pieces and packs are counted, never split: their quantities must be whole numbers.
    public var requiresWholeQuantities: Bool {
        switch self {
        case .piece, .pack: true
        case .kg, .g, .l, .ml: false
        }
    }

    public init(parsing text: String) throws(InventoryError) {
        guard let unit = ProductUnit(rawValue: text.trimmingWhitespace().lowercased()) else {
            let allowed = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidField(name: "unit", reason: "must be one of \(allowed)")
        }
        self = unit
    }
}

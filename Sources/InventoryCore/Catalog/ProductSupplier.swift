/// What one supplier offers for one product: their code for it, the cost, how long delivery takes.
public struct ProductSupplier: Sendable, Hashable, Encodable {
    public var productID: Int64
    public var sku: SKU
    public var productName: String
    public var supplierID: Int64
    public var supplierName: String
    /// The supplier's own code for the product.
    public var supplierSKU: String?
    public var costPrice: Money?
    public var leadTimeDays: Int?
    /// The supplier to reorder from; at most one per product.
    public var preferred: Bool

    public init(
        productID: Int64, sku: SKU, productName: String, supplierID: Int64, supplierName: String,
        supplierSKU: String?, costPrice: Money?, leadTimeDays: Int?, preferred: Bool
    ) {
        self.productID = productID
        self.sku = sku
        self.productName = productName
        self.supplierID = supplierID
        self.supplierName = supplierName
        self.supplierSKU = supplierSKU
        self.costPrice = costPrice
        self.leadTimeDays = leadTimeDays
        self.preferred = preferred
    }
}

/// A validated link between a product and a supplier; setting `preferred` clears it on the others.
public struct ProductSupplierTerms: Sendable, Hashable {
    public var supplierSKU: String?
    public var costPrice: Money?
    public var leadTimeDays: Int?
    public var preferred: Bool

    public init(supplierSKU: String?, costPrice: Money?, leadTimeDays: Int?, preferred: Bool) throws(InventoryError) {
        self.supplierSKU = try TextRule.optional(supplierSKU, field: "supplier_sku", lengthMax: Limits.skuLengthMax)
        if let leadTimeDays, !(0...Limits.leadTimeDaysMax).contains(leadTimeDays) {
            throw .invalidField(name: "lead_time_days", reason: "must be between 0 and \(Limits.leadTimeDaysMax)")
        }
        self.costPrice = costPrice
        self.leadTimeDays = leadTimeDays
        self.preferred = preferred
    }
}

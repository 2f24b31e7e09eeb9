/// The audit log's vocabulary: each kind of change, its action name, entity type, snapshots and
/// chain, said once here for every backend to write as given.
extension AuditRecord {
    /// A change to an entity kept in the shared chain (or, for stores, in the store's own chain).
    public enum Verb: String, Sendable {
        case create, update, delete
    }

    public static func product(_ verb: Verb, before: Product?, after: Product?) -> AuditRecord {
        entity("product", verb, id: (after ?? before)!.id, before: before, after: after)
    }

    public static func city(_ verb: Verb, before: City?, after: City?) -> AuditRecord {
        entity("city", verb, id: (after ?? before)!.id, before: before, after: after)
    }

    /// A store's own changes join its chain, except its creation (the chain does not exist yet).
    public static func store(_ verb: Verb, before: Store?, after: Store?) -> AuditRecord {
        let id = (after ?? before)!.id
        return entity("store", verb, id: id, before: before, after: after, chain: verb == .create ? globalChain : id)
    }

    public static func supplier(_ verb: Verb, before: Supplier?, after: Supplier?) -> AuditRecord {
        entity("supplier", verb, id: (after ?? before)!.id, before: before, after: after)
    }

    /// A product linked (or re-linked with new terms) to a supplier.
    public static func supplierLinked(before: ProductSupplier?, after: ProductSupplier) -> AuditRecord {
        .change(
            "product_supplier.link", "product_supplier", id: "\(after.productID)/\(after.supplierID)", before: before,
            after: after)
    }

    public static func supplierUnlinked(_ link: ProductSupplier) -> AuditRecord {
        .change(
            "product_supplier.unlink", "product_supplier", id: "\(link.productID)/\(link.supplierID)", before: link,
            after: nil)
    }

    /// A reorder level set or cleared, in the store's chain.
    public static func reorderLevelSet(before: StockLevel, after: StockLevel) -> AuditRecord {
        .change(
            "reorder_level.set", "stock_level", id: "\(after.storeID)/\(after.product.id)", before: before,
            after: after,
            chain: after.storeID)
    }

    /// Movements recorded at a store (with their ids), in the store's chain.
    public static func movementsRecorded(_ movements: [Movement], storeID: Int64) -> AuditRecord {
        .change("movements.record", "store", id: storeID, before: nil, after: movements, chain: storeID)
    }

    /// A transfer, in the source store's chain.
    public static func transferCreated(_ transfer: Transfer) -> AuditRecord {
        .change(
            "transfer.create", "transfer", id: transfer.id, before: nil, after: transfer, chain: transfer.fromStoreID)
    }

    public static func userCreated(_ user: User) -> AuditRecord {
        .change("user.create", "user", id: user.id, before: nil, after: user)
    }

    /// A user changed; a change of password alone (which the snapshots do not show) is `user.password`.
    public static func userUpdated(before: User, after: User, passwordChanged: Bool) -> AuditRecord {
        .change(
            passwordChanged && before == after ? "user.password" : "user.update", "user", id: after.id,
            before: before, after: after)
    }

    public static func apiKeyCreated(_ key: APIKey) -> AuditRecord {
        .change("api_key.create", "api_key", id: key.id, before: nil, after: key)
    }

    public static func apiKeyRevoked(before: APIKey, after: APIKey) -> AuditRecord {
        .change("api_key.revoke", "api_key", id: after.id, before: before, after: after)
    }

    private static func entity<Value: Encodable>(
        _ type: String, _ verb: Verb, id: Int64, before: Value?, after: Value?, chain: Int64 = globalChain
    ) -> AuditRecord {
        .change("\(type).\(verb.rawValue)", type, id: id, before: before, after: after, chain: chain)
    }
}

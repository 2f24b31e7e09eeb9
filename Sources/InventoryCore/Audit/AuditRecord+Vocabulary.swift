/// The audit log's vocabulary: each kind of change, its action name, entity type, snapshots, chain
/// and the events it publishes, said once here for every backend to write as given.
extension AuditRecord {
    /// A change to an entity kept in the shared chain (or, for stores, in the store's own chain).
    public enum Verb: String, Sendable {
        case create, update, delete

        func pick(_ created: EventType, _ updated: EventType, _ deleted: EventType) -> EventType {
            switch self {
            case .create: created
            case .update: updated
            case .delete: deleted
            }
        }
    }

    public static func product(_ verb: Verb, before: Product?, after: Product?) -> AuditRecord {
        entity("product", verb, id: (after ?? before)!.id, before: before, after: after)
            .publishing(verb.pick(.productCreated, .productUpdated, .productDeleted), storeID: nil)
    }

    public static func city(_ verb: Verb, before: City?, after: City?) -> AuditRecord {
        entity("city", verb, id: (after ?? before)!.id, before: before, after: after)
            .publishing(verb.pick(.cityCreated, .cityUpdated, .cityDeleted), storeID: nil)
    }

    /// A store's own changes join its chain, except its creation (the chain does not exist yet).
    public static func store(_ verb: Verb, before: Store?, after: Store?) -> AuditRecord {
        let id = (after ?? before)!.id
        return entity("store", verb, id: id, before: before, after: after, chain: verb == .create ? globalChain : id)
            .publishing(verb.pick(.storeCreated, .storeUpdated, .storeDeleted), storeID: id)
    }

    public static func supplier(_ verb: Verb, before: Supplier?, after: Supplier?) -> AuditRecord {
        entity("supplier", verb, id: (after ?? before)!.id, before: before, after: after)
            .publishing(verb.pick(.supplierCreated, .supplierUpdated, .supplierDeleted), storeID: nil)
    }

    /// A product linked (or re-linked with new terms) to a supplier.
    public static func supplierLinked(before: ProductSupplier?, after: ProductSupplier) -> AuditRecord {
        .change(
            "product_supplier.link", "product_supplier", id: "\(after.productID)/\(after.supplierID)", before: before,
            after: after
        ).publishing(.productSupplierLinked, storeID: nil)
    }

    public static func supplierUnlinked(_ link: ProductSupplier) -> AuditRecord {
        .change(
            "product_supplier.unlink", "product_supplier", id: "\(link.productID)/\(link.supplierID)", before: link,
            after: nil
        ).publishing(.productSupplierUnlinked, storeID: nil)
    }

    /// A reorder level set or cleared, in the store's chain.
    public static func reorderLevelSet(before: StockLevel, after: StockLevel) -> AuditRecord {
        .change(
            "reorder_level.set", "stock_level", id: "\(after.storeID)/\(after.product.id)", before: before,
            after: after,
            chain: after.storeID
        ).publishing(.reorderLevelSet, storeID: after.storeID)
    }

    /// Movements recorded at a store (with their ids), in the store's chain. Each movement is an
    /// event, followed by the on-hand of each (store, product) they moved.
    public static func movementsRecorded(_ movements: [Movement], storeID: Int64) -> AuditRecord {
        let snapshots = movements.map(AuditSnapshot.json)
        var record = AuditRecord(
            action: "movements.record", entityType: "store", entityID: String(storeID),
            after: "[" + snapshots.joined(separator: ",") + "]", chain: storeID)
        record.events = movementEvents(movements, snapshots: snapshots)
        return record
    }

    /// A transfer, in the source store's chain: the transfer, then its movements and on-hands.
    public static func transferCreated(_ transfer: Transfer, movements: [Movement]) -> AuditRecord {
        var record = AuditRecord.change(
            "transfer.create", "transfer", id: transfer.id, before: nil, after: transfer, chain: transfer.fromStoreID
        ).publishing(.transferRecorded, storeID: transfer.fromStoreID)
        record.events += movementEvents(movements, snapshots: movements.map(AuditSnapshot.json))
        return record
    }

    public static func userCreated(_ user: User) -> AuditRecord {
        .change("user.create", "user", id: user.id, before: nil, after: user)
            .publishing(.userCreated, storeID: nil, audience: .administrators)
    }

    /// A user changed; a change of password alone (which the snapshots do not show) is `user.password`.
    public static func userUpdated(before: User, after: User, passwordChanged: Bool) -> AuditRecord {
        .change(
            passwordChanged && before == after ? "user.password" : "user.update", "user", id: after.id,
            before: before, after: after
        ).publishing(.userUpdated, storeID: nil, audience: .administrators)
    }

    public static func apiKeyCreated(_ key: APIKey) -> AuditRecord {
        .change("api_key.create", "api_key", id: key.id, before: nil, after: key)
            .publishing(.apiKeyCreated, storeID: nil, audience: .administrators)
    }

    public static func apiKeyRevoked(before: APIKey, after: APIKey) -> AuditRecord {
        .change("api_key.revoke", "api_key", id: after.id, before: before, after: after)
            .publishing(.apiKeyRevoked, storeID: nil, audience: .administrators)
    }

    /// This record with one more event, whose payload is the entity after the change (before it,
    /// for a deletion).
    func publishing(_ type: EventType, storeID: Int64?, audience: EventAudience = .readers) -> AuditRecord {
        var record = self
        record.events.append(
            EventRecord(type: type, storeID: storeID, audience: audience, payload: after ?? before ?? "null"))
        return record
    }

    /// `movement.recorded` for each movement, then `stock.changed` for each (store, product) they
    /// moved, with its on-hand after the last of them.
    private static func movementEvents(_ movements: [Movement], snapshots: [String]) -> [EventRecord] {
        var events = zip(movements, snapshots).map { movement, snapshot in
            EventRecord(type: .movementRecorded, storeID: movement.storeID, payload: snapshot)
        }
        var last: [StockKey: Movement] = [:]
        var order: [StockKey] = []
        for movement in movements {
            let key = StockKey(storeID: movement.storeID, productID: movement.productID)
            if last.updateValue(movement, forKey: key) == nil { order.append(key) }
        }
        for key in order {
            let movement = last[key]!
            events.append(
                EventRecord(
                    type: .stockChanged, storeID: key.storeID,
                    payload: AuditSnapshot.stockChanged(movement)))
        }
        return events
    }

    private static func entity<Value: Encodable>(
        _ type: String, _ verb: Verb, id: Int64, before: Value?, after: Value?, chain: Int64 = globalChain
    ) -> AuditRecord {
        .change("\(type).\(verb.rawValue)", type, id: id, before: before, after: after, chain: chain)
    }
}

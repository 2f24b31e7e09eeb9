import Foundation

/// Every way a Godown operation can fail for a reason the caller can act on.
///
/// The HTTP layer maps each case to a status and a stable problem type with an exhaustive
/// `switch`, so a new case cannot reach a client unmapped.
public enum InventoryError: Error, Sendable, Equatable {
    /// A field of the request breaks a rule (wrong format, out of range, not allowed for this kind).
    case invalidField(name: String, reason: String)
    /// No live product matches the reference (id, SKU or barcode).
    case productNotFound(reference: String)
    /// No store has this id.
    case storeNotFound(id: Int64)
    /// No live supplier has this id.
    case supplierNotFound(id: Int64)
    /// No live city has this id.
    case cityNotFound(id: Int64)
    /// No transfer has this id.
    case transferNotFound(id: Int64)
    /// The product is not linked to this supplier.
    case supplierLinkNotFound(productID: Int64, supplierID: Int64)
    /// A sale, removal, adjustment or transfer asks for more than the store holds.
    case insufficientStock(sku: String, storeID: Int64, requested: Quantity, available: Quantity)
    /// A stock-in would push on-hand past `Limits.onHandUnitsMax`.
    case stockLimitExceeded(sku: String, storeID: Int64, limit: Quantity)
    /// Another live product already uses this SKU.
    case duplicateSKU(SKU)
    /// Another live product already uses this barcode.
    case duplicateBarcode(String)
    /// A product cannot be deleted while a store still holds it.
    case productHasStock(sku: String, onHand: Quantity)
    /// A store cannot be deleted while it holds stock.
    case storeHasStock(storeID: Int64)
    /// Another store already uses this code (codes are never reused).
    case duplicateStoreCode(String)
    /// Another live city in the same state already has this name.
    case duplicateCity(name: String)
    /// The idempotency key was used before for a different request.
    case idempotencyKeyReused(key: String)
    /// A pagination cursor was not issued by this server.
    case invalidCursor
    /// An event cursor points into the part of the log already pruned: the events after it up to
    /// `prunedThrough` are gone.
    case eventsPruned(prunedThrough: EventPosition)
    /// No user has this id.
    case userNotFound(id: Int64)
    /// No API key has this id.
    case apiKeyNotFound(id: Int64)
    /// No alert has this id.
    case alertNotFound(id: Int64)
    /// No webhook endpoint has this id.
    case webhookNotFound(id: Int64)
    /// The endpoint has no delivery with this id.
    case webhookDeliveryNotFound(webhookID: Int64, deliveryID: Int64)
    /// As many endpoints exist as `Limits.webhooksMax` allows.
    case webhookLimitReached(limit: Int)
    /// Another user already has this username.
    case duplicateUsername(String)
    /// The request carries no valid credentials (or they expired or were revoked).
    case unauthenticated(reason: String)
    /// The caller is known but may not do this (their role, or a store not assigned to them).
    case forbidden(reason: String)
    /// The caller sent too many requests; they may try again after `retryAfterSeconds`.
    case rateLimited(retryAfterSeconds: Int)
    /// The database could not be reached or refused the operation for a reason outside the request.
    case storageUnavailable(reason: String)
}

extension InventoryError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidField(let name, let reason):
            "\(name): \(reason)"
        case .productNotFound(let reference):
            "no product matches \(reference)"
        case .storeNotFound(let id):
            "no store has id \(id)"
        case .supplierNotFound(let id):
            "no supplier has id \(id)"
        case .cityNotFound(let id):
            "no city has id \(id)"
        case .transferNotFound(let id):
            "no transfer has id \(id)"
        case .supplierLinkNotFound(let productID, let supplierID):
            "product \(productID) is not linked to supplier \(supplierID)"
        case .insufficientStock(let sku, let storeID, let requested, let available):
            "insufficient stock of \(sku) in store \(storeID): requested \(requested), available \(available)"
        case .stockLimitExceeded(let sku, let storeID, let limit):
            "stock of \(sku) in store \(storeID) would exceed the limit of \(limit)"
        case .duplicateSKU(let sku):
            "a product with SKU \(sku) already exists"
        case .duplicateBarcode(let barcode):
            "a product with barcode \(barcode) already exists"
        case .productHasStock(let sku, let onHand):
            "product \(sku) still has \(onHand) in stock; remove or count it to zero first"
        case .storeHasStock(let storeID):
            "store \(storeID) still holds stock; transfer or count it to zero first"
        case .duplicateStoreCode(let code):
            "a store with code \(code) already exists"
        case .duplicateCity(let name):
            "a city named \(name) already exists in that state"
        case .idempotencyKeyReused(let key):
            "idempotency key \(key) was already used for a different request"
        case .invalidCursor:
            "the cursor is not valid; start again without it"
        case .userNotFound(let id):
            "no user has id \(id)"
        case .apiKeyNotFound(let id):
            "no API key has id \(id)"
        case .alertNotFound(let id):
            "no alert has id \(id)"
        case .webhookNotFound(let id):
            "no webhook has id \(id)"
        case .webhookDeliveryNotFound(let webhookID, let deliveryID):
            "webhook \(webhookID) has no delivery with id \(deliveryID)"
        case .webhookLimitReached(let limit):
            "there are already \(limit) webhooks, as many as a server keeps; delete one first"
        case .duplicateUsername(let username):
            "a user named \(username) already exists"
        case .unauthenticated(let reason):
            reason
        case .forbidden(let reason):
            reason
        case .rateLimited(let seconds):
            "too many requests; try again in \(seconds) s"
        case .storageUnavailable(let reason):
            "the database is unavailable: \(reason)"
        case .eventsPruned(let prunedThrough):
            "the events after this cursor were pruned (through \(prunedThrough)); resume from a fresh read"
        }
    }
}

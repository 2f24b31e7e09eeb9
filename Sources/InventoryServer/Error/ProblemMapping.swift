import HTTPTypes
import Hummingbird
import InventoryCore
import NIOCore

/// The one place errors become HTTP statuses and problem types.
enum ProblemMapping {
    /// Maps every domain error; the switch is exhaustive so a new case cannot go unmapped.
    static func problem(for error: InventoryError) -> Problem {
        switch error {
        case .invalidField(let name, let reason):
            Problem(
                slug: "validation-failed", title: "A field breaks a rule", status: .unprocessableContent,
                detail: "\(name): \(reason)", field: name)
        case .productNotFound:
            Problem(slug: "product-not-found", title: "Product not found", status: .notFound, detail: error.description)
        case .storeNotFound(let id):
            Problem(
                slug: "store-not-found", title: "Store not found", status: .notFound, detail: error.description,
                storeID: id)
        case .supplierNotFound:
            Problem(
                slug: "supplier-not-found", title: "Supplier not found", status: .notFound, detail: error.description)
        case .cityNotFound:
            Problem(slug: "city-not-found", title: "City not found", status: .notFound, detail: error.description)
        case .transferNotFound:
            Problem(
                slug: "transfer-not-found", title: "Transfer not found", status: .notFound, detail: error.description)
        case .supplierLinkNotFound:
            Problem(
                slug: "supplier-link-not-found", title: "Product not linked to supplier", status: .notFound,
                detail: error.description)
        case .storeHasStock(let storeID):
            Problem(
                slug: "store-has-stock", title: "Store still holds stock", status: .conflict,
                detail: error.description, storeID: storeID)
        case .duplicateStoreCode:
            Problem(
                slug: "duplicate-store-code", title: "Store code already in use", status: .conflict,
                detail: error.description, field: "code")
        case .duplicateCity:
            Problem(
                slug: "duplicate-city", title: "City already exists", status: .conflict,
                detail: error.description, field: "name")
        case .insufficientStock(let sku, let storeID, let requested, let available):
            Problem(
                slug: "insufficient-stock", title: "Not enough stock", status: .conflict, detail: error.description,
                sku: sku, storeID: storeID, requested: requested.description, available: available.description)
        case .stockLimitExceeded(let sku, let storeID, _):
            Problem(
                slug: "stock-limit-exceeded", title: "Stock would exceed its limit", status: .unprocessableContent,
                detail: error.description, sku: sku, storeID: storeID)
        case .duplicateSKU(let sku):
            Problem(
                slug: "duplicate-sku", title: "SKU already in use", status: .conflict, detail: error.description,
                field: "sku", sku: sku.value)
        case .duplicateBarcode:
            Problem(
                slug: "duplicate-barcode", title: "Barcode already in use", status: .conflict,
                detail: error.description, field: "barcode")
        case .productHasStock(let sku, _):
            Problem(
                slug: "product-has-stock", title: "Product still in stock", status: .conflict,
                detail: error.description, sku: sku)
        case .idempotencyKeyReused:
            Problem(
                slug: "idempotency-key-reused", title: "Idempotency key reused", status: .unprocessableContent,
                detail: error.description, field: "Idempotency-Key")
        case .invalidCursor:
            Problem(
                slug: "invalid-cursor", title: "Invalid cursor", status: .badRequest, detail: error.description,
                field: "cursor")
        case .alertNotFound:
            Problem(slug: "alert-not-found", title: "Alert not found", status: .notFound, detail: error.description)
        case .webhookNotFound:
            Problem(slug: "webhook-not-found", title: "Webhook not found", status: .notFound, detail: error.description)
        case .webhookDeliveryNotFound:
            Problem(
                slug: "webhook-delivery-not-found", title: "Webhook delivery not found", status: .notFound,
                detail: error.description)
        case .webhookLimitReached:
            Problem(
                slug: "webhook-limit-reached", title: "Too many webhooks", status: .conflict, detail: error.description)
        case .eventsPruned:
            Problem(slug: "events-pruned", title: "Events pruned", status: .gone, detail: error.description)
        case .userNotFound:
            Problem(slug: "user-not-found", title: "User not found", status: .notFound, detail: error.description)
        case .apiKeyNotFound:
            Problem(slug: "api-key-not-found", title: "API key not found", status: .notFound, detail: error.description)
        case .duplicateUsername:
            Problem(
                slug: "duplicate-username", title: "Username already in use", status: .conflict,
                detail: error.description, field: "username")
        case .unauthenticated:
            Problem(
                slug: "unauthenticated", title: "Credentials needed", status: .unauthorized,
                detail: error.description)
        case .forbidden:
            Problem(slug: "forbidden", title: "Not allowed", status: .forbidden, detail: error.description)
        case .rateLimited:
            Problem(
                slug: "rate-limited", title: "Too many requests", status: .tooManyRequests,
                detail: error.description)
        case .storageUnavailable:
            Problem(
                slug: "storage-unavailable", title: "Database unavailable", status: .serviceUnavailable,
                detail:
                    "The database is unavailable; try again shortly (a write with the same Idempotency-Key is applied once)."
            )
        }
    }

    static func problem(for error: RequestError) -> Problem {
        switch error {
        case .malformed(let reason):
            Problem(slug: "malformed-request", title: "Malformed request", status: .badRequest, detail: reason)
        case .unprocessable(let field, let reason):
            Problem(
                slug: "validation-failed", title: "A field breaks a rule", status: .unprocessableContent,
                detail: "\(field): \(reason)", field: field)
        case .unsupportedMediaType(let reason):
            Problem(
                slug: "unsupported-media-type", title: "Unsupported media type", status: .unsupportedMediaType,
                detail: reason, field: "Content-Type")
        }
    }

    /// Maps the errors the framework throws (unknown route, body too large).
    static func problem(for error: any HTTPResponseError) -> Problem {
        switch error.status {
        case .notFound:
            Problem(slug: "about:blank", title: "Not Found", status: .notFound, detail: "No such route.")
        case .methodNotAllowed:
            Problem(
                slug: "about:blank", title: "Method Not Allowed", status: .methodNotAllowed,
                detail: "The route exists but not for this method.")
        case .contentTooLarge:
            Problem(
                slug: "body-too-large", title: "Request body too large", status: .contentTooLarge,
                detail: "The body exceeds \(Limits.requestBodyBytesMax) bytes.")
        case let status where status.code < 500:
            Problem(slug: "about:blank", title: status.reasonPhrase, status: status, detail: status.reasonPhrase)
        default:
            internalError
        }
    }

    static let internalError = Problem(
        slug: "internal-error", title: "Internal error", status: .internalServerError,
        detail: "Something went wrong on our side; it has been logged with the request id.")
}

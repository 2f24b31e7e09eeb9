import Hummingbird
import InventoryCore

/// Routes of transfers between stores.
struct TransferController<Ledger: LedgerReader & LedgerWriter> {
    let ledger: Ledger

    func addRoutes(to v1: RouterGroup<AuthenticatedContext>) {
        v1.group("transfers")
            .post(use: create)
            .get(use: list)
            .get(":transfer_id", use: show)
    }

    /// Moves every line or none; with an `Idempotency-Key`, a retry answers the original transfer.
    @Sendable func create(request: Request, context: AuthenticatedContext) async throws -> Response {
        _ = try context.authorize(.transferStock)
        let body = try await request.decodeJSON(TransferBody.self, context: context)
        var transfer = try body.request()
        // Stock leaves a store its manager runs; it may go to any store of the chain.
        let caller = try context.authorize(.transferStock, store: transfer.fromStoreID)
        if let key = request.headers[.idempotencyKey] {
            transfer.idempotency = try IdempotencyClaim(key: key, requestHash: RequestFingerprint.of(transfer))
        }
        let recorded = try await ledger.transferStock(transfer, by: caller.change)
        var response = try EditedResponse(status: .created, response: TransferWire(recorded.transfer))
            .response(from: request, context: context)
        if recorded.replayed {
            response.headers[.idempotencyReplayed] = "true"
        }
        return response
    }

    @Sendable func list(request: Request, context: AuthenticatedContext) async throws -> PageWire<TransferWire> {
        let parameters = RequestParameters(request: request, context: context)
        let storeID = try parameters.integer("store_id")
        let caller = try context.authorize(.readMovements, store: storeID)
        let query = TransferQuery(scope: caller.scope, storeID: storeID, page: try parameters.page())
        return PageWire(try await ledger.transfers(query), transform: TransferWire.init)
    }

    @Sendable func show(request: Request, context: AuthenticatedContext) async throws -> TransferWire {
        let caller = try context.authorize(.readMovements)
        let id = try RequestParameters(request: request, context: context).pathID("transfer_id")
        let transfer = try await ledger.transfer(id: id)
        guard
            caller.principal.covers(storeID: transfer.fromStoreID)
                || caller.principal.covers(storeID: transfer.toStoreID)
        else { throw InventoryError.forbidden(reason: "transfer \(id) involves none of your stores") }
        return TransferWire(transfer)
    }
}

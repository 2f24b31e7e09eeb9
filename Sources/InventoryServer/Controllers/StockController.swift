import Hummingbird
import InventoryCore

/// Routes of the stock ledger: recording movements, reading stock and history.
struct StockController<Ledger: LedgerReader & LedgerWriter> {
    let ledger: Ledger

    func addRoutes(to v1: RouterGroup<AuthenticatedContext>) {
        v1.group("stores/:store_id")
            .post("movements", use: recordMovements)
            .get("stock", use: listStock)
            .get("stock/:product", use: showStock)
            .put("stock/:product/reorder-level", use: setReorderLevel)
        v1.get("movements", use: listMovements)
    }

    /// Records one movement or a batch. With an `Idempotency-Key`, a retry of the same request
    /// answers the original movements (and `Idempotency-Replayed: true`) without applying them again.
    @Sendable func recordMovements(request: Request, context: AuthenticatedContext) async throws -> Response {
        let storeID = try RequestParameters(request: request, context: context).pathID("store_id")
        // Anyone who may record a sale may send movements here; each kind is checked once the body is read.
        let caller = try context.authorize(.recordMovement(.sale), store: storeID)
        let body = try await request.decodeJSON(MovementsBody.self, context: context)
        var batch = try MovementBatch(storeID: storeID, commands: try body.commands())
        for kind in Set(batch.commands.map(\.kind)) {
            _ = try context.authorize(.recordMovement(kind), store: storeID)
        }
        if let key = request.headers[.idempotencyKey] {
            batch.idempotency = try IdempotencyClaim(key: key, requestHash: RequestFingerprint.of(batch))
        }
        let recorded = try await ledger.recordMovements(batch, by: caller.change)
        let wires = recorded.movements.map(MovementWire.init)
        var response =
            switch body {
            case .single:
                try EditedResponse(status: .created, response: wires[0]).response(from: request, context: context)
            case .batch:
                try EditedResponse(status: .created, response: MovementBatchWire(movements: wires))
                    .response(from: request, context: context)
            }
        if recorded.replayed {
            response.headers[.idempotencyReplayed] = "true"
        }
        return response
    }

    /// Every product's stock in one store, now or (`as_of`) as the book stood then; JSON or CSV.
    @Sendable func listStock(request: Request, context: AuthenticatedContext) async throws -> Response {
        let parameters = RequestParameters(request: request, context: context)
        let storeID = try parameters.pathID("store_id")
        _ = try context.authorize(.readStock, store: storeID)
        let query = StockQuery(
            storeID: storeID, lowStockOnly: try parameters.boolean("low_stock") ?? false,
            asOf: try parameters.time("as_of"), page: try parameters.page())
        let page = PageWire(try await ledger.stockLevels(query), transform: StockLevelWire.init)
        if request.wantsCSV {
            return StockLevelWire.csv(page.items).response(filename: "stock.csv", nextCursor: page.nextCursor)
        }
        return try page.response(from: request, context: context)
    }

    @Sendable func showStock(request: Request, context: AuthenticatedContext) async throws -> StockLevelWire {
        let parameters = RequestParameters(request: request, context: context)
        let storeID = try parameters.pathID("store_id")
        _ = try context.authorize(.readStock, store: storeID)
        let level = try await ledger.stockLevel(
            storeID: storeID, product: try parameters.productReference("product"), asOf: try parameters.time("as_of"))
        return StockLevelWire(level)
    }

    @Sendable func setReorderLevel(request: Request, context: AuthenticatedContext) async throws -> StockLevelWire {
        let parameters = RequestParameters(request: request, context: context)
        let storeID = try parameters.pathID("store_id")
        let caller = try context.authorize(.setReorderLevel, store: storeID)
        let product = try parameters.productReference("product")
        let body = try await request.decodeJSON(ReorderLevelBody.self, context: context)
        let level = try body.reorderLevel.map { text throws(InventoryError) in
            try text.quantity(field: "reorder_level")
        }
        return StockLevelWire(
            try await ledger.setReorderLevel(storeID: storeID, product: product, level: level, by: caller.change))
    }

    /// The movements report: history newest first with filters; JSON or CSV.
    @Sendable func listMovements(request: Request, context: AuthenticatedContext) async throws -> Response {
        let parameters = RequestParameters(request: request, context: context)
        let storeID = try parameters.integer("store_id")
        let caller = try context.authorize(.readMovements, store: storeID)
        let query = try MovementQuery(
            scope: caller.scope, storeID: storeID, cityID: try parameters.integer("city_id"),
            product: try parameters.productFilter(),
            kind: try parameters.string("kind").map { text throws(InventoryError) in try MovementKind(parsing: text) },
            supplierID: try parameters.integer("supplier_id"), from: try parameters.time("from"),
            to: try parameters.time("to"), page: try parameters.page())
        let page = PageWire(try await ledger.movements(query), transform: MovementWire.init)
        if request.wantsCSV {
            return MovementWire.csv(page.items).response(filename: "movements.csv", nextCursor: page.nextCursor)
        }
        return try page.response(from: request, context: context)
    }
}

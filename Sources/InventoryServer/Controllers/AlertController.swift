import Hummingbird
import InventoryCore

/// `GET /v1/alerts` (scoped like every read) and `POST /v1/alerts/{alert_id}/acknowledge`
/// (managers at their stores, admins).
struct AlertController<Alerts: AlertReader & AlertWriter> {
    let alerts: Alerts

    func addRoutes(to v1: RouterGroup<AuthenticatedContext>) {
        v1.get("alerts", use: list)
        v1.post("alerts/:alert_id/acknowledge", use: acknowledge)
    }

    @Sendable func list(request: Request, context: AuthenticatedContext) async throws -> PageWire<AlertWire> {
        let caller = try context.authorize(.readStock)
        let parameters = RequestParameters(request: request, context: context)
        let storeID = try parameters.integer("store_id")
        if let storeID, !caller.principal.covers(storeID: storeID) {
            throw InventoryError.forbidden(reason: "store \(storeID) is not one of yours")
        }
        let state = try parameters.string("state").map { text in
            guard let state = AlertState(rawValue: text) else {
                throw RequestError.malformed("state must be open, acknowledged or resolved")
            }
            return state
        }
        let query = AlertQuery(scope: caller.scope, storeID: storeID, state: state, page: try parameters.page())
        return PageWire(try await alerts.alerts(query), transform: AlertWire.init)
    }

    @Sendable func acknowledge(request: Request, context: AuthenticatedContext) async throws -> AlertWire {
        let id = try RequestParameters(request: request, context: context).pathID("alert_id")
        let caller = try context.authorize(.setReorderLevel)
        // Another store's alert is answered as missing, as it would be in their listing.
        let alert = try await alerts.alert(id: id)
        guard caller.principal.covers(storeID: alert.storeID) else { throw InventoryError.alertNotFound(id: id) }
        return AlertWire(try await alerts.acknowledgeAlert(id: id, by: caller.change))
    }
}

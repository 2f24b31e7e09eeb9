import Hummingbird
import InventoryCore

/// `GET /v1/audit`: the audit log, newest first, for admins and auditors; JSON or CSV.
struct AuditController<Audit: AuditReader> {
    let audit: Audit

    func addRoutes(to v1: RouterGroup<AuthenticatedContext>) {
        v1.get("audit", use: list)
    }

    @Sendable func list(request: Request, context: AuthenticatedContext) async throws -> Response {
        _ = try context.authorize(.readAudit)
        let parameters = RequestParameters(request: request, context: context)
        let from = try parameters.time("from")
        let to = try parameters.time("to")
        if let from, let to, from >= to {
            throw InventoryError.invalidField(name: "to", reason: "must be later than from")
        }
        let query = AuditQuery(
            actor: try parameters.auditFilter("actor"), action: try parameters.auditFilter("action"),
            entityType: try parameters.auditFilter("entity_type"), entityID: try parameters.auditFilter("entity_id"),
            from: from, to: to, page: try parameters.page())
        let page = PageWire(try await audit.auditEntries(query), transform: AuditEntryWire.init)
        if request.wantsCSV {
            return AuditEntryWire.csv(page.items).response(filename: "audit.csv", nextCursor: page.nextCursor)
        }
        return try page.response(from: request, context: context)
    }
}

extension RequestParameters {
    /// A text filter of the audit log, bounded like every other input.
    fileprivate func auditFilter(_ name: String) throws -> String? {
        try TextRule.optional(string(name), field: name, lengthMax: Limits.auditFilterLengthMax)
    }
}

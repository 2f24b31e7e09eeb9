import Hummingbird

/// Refuses (400) a query parameter the route does not take, rather than ignoring it: a client
/// sending `?as_of=` or `?dry_run=true` to a route that knows neither must not believe it was heard.
/// What each route takes is what `openapi.yaml` declares for it.
struct QueryParametersMiddleware<Context: RequestContext>: RouterMiddleware {
    let accepted: [String: Set<String>]

    init(accepted: [String: Set<String>] = OpenAPIDocument.queryParameters()) {
        self.accepted = accepted
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let names = request.uri.queryParameters.map { String($0.key) }
        if !names.isEmpty, let route = context.endpointPath {
            let known = accepted["\(request.method) \(route)"] ?? []
            if let unknown = names.first(where: { !known.contains($0) }) {
                let allowed = known.isEmpty ? "none" : known.sorted().joined(separator: ", ")
                throw RequestError.malformed(
                    "unknown query parameter \"\(unknown.prefix(64))\"; this route takes: \(allowed)")
            }
        }
        return try await next(request, context)
    }
}

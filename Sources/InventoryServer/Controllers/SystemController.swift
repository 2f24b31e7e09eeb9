import Hummingbird
import InventoryCore

/// Routes for operators and tools: health, ping and the OpenAPI document.
struct SystemController<Health: StorageMaintenance> {
    let health: Health

    func addRoutes(to router: Router<GodownRequestContext>) {
        router.get("health", use: checkHealth)
        // The cheapest route there is: what the server alone costs, for benchmarks to compare against.
        router.get("ping") { _, _ in "pong" }
        router.get("openapi.yaml", use: openAPIDocument)
    }

    @Sendable func checkHealth(request: Request, context: GodownRequestContext) async throws -> HealthWire {
        try await health.checkHealth()
        return HealthWire(status: "ok", database: "reachable")
    }

    @Sendable func openAPIDocument(request: Request, context: GodownRequestContext) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/yaml"
        headers[.cacheControl] = "public, max-age=300"
        return Response(
            status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
    }
}

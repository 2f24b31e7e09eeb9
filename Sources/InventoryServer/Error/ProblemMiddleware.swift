import Hummingbird
import InventoryCore
import Logging

/// Turns every error into an `application/problem+json` response carrying the request id, and
/// logs the ones that are the server's fault.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let problem = problem(for: error, context: context)
            return problem.response(requestID: context.id)
        }
    }

    private func problem(for error: any Error, context: Context) -> Problem {
        switch error {
        case let error as InventoryError:
            if case .storageUnavailable(let reason) = error {
                context.logger.warning("database unavailable", metadata: ["reason": "\(reason)"])
            }
            return ProblemMapping.problem(for: error)
        case let error as RequestError:
            return ProblemMapping.problem(for: error)
        case let error as any HTTPResponseError where error.status.code < 500:
            return ProblemMapping.problem(for: error)
        default:
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return ProblemMapping.internalError
        }
    }
}

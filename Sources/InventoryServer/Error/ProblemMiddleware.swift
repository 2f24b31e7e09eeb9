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
            return Self.response(for: error, context: context)
        }
    }

    /// The problem response for `error`, with the headers some problems call for.
    static func response(for error: any Error, context: Context) -> Response {
        if let refusal = error as? RateLimitExceeded {
            var response = response(
                for: InventoryError.rateLimited(retryAfterSeconds: refusal.decision.retryAfterSeconds), context: context
            )
            refusal.decision.describe(in: &response.headers)
            return response
        }
        var response = problem(for: error, context: context).response(requestID: context.id)
        switch error as? InventoryError {
        case .rateLimited(let seconds):
            response.headers[.retryAfter] = String(seconds)
        case .storageUnavailable:
            response.headers[.retryAfter] = String(Limits.storageRetryAfterSeconds)
        case .unauthenticated:
            response.headers[.wwwAuthenticate] = #"Basic realm="godown", Bearer realm="godown""#
        default:
            break
        }
        return response
    }

    private static func problem(for error: any Error, context: Context) -> Problem {
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
        case is CancellationError:
            // The server is stopping and its grace has run out; the connection closes after this.
            context.logger.notice("request cut off: the server is stopping")
            return ProblemMapping.problem(for: InventoryError.storageUnavailable(reason: "the server is stopping"))
        default:
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return ProblemMapping.internalError
        }
    }
}

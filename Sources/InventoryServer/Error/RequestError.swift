/// Failures of the HTTP request itself, before it reaches the domain.
enum RequestError: Error, Equatable {
    /// The body is not JSON, or a path or query parameter has the wrong form.
    case malformed(String)
    /// Valid JSON whose shape breaks the API: a missing field, a wrong type.
    case unprocessable(field: String, reason: String)
    /// A body that is not declared as JSON (`Content-Type` other than `application/json`).
    case unsupportedMediaType(String)
}

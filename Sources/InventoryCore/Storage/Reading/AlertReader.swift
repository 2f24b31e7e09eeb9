/// Reads low-stock alerts.
public protocol AlertReader: Sendable {
    /// Alerts, newest first.
    func alerts(_ query: AlertQuery) async throws -> Page<Alert>
    /// `alertNotFound` when no alert has this id.
    func alert(id: Int64) async throws -> Alert
}

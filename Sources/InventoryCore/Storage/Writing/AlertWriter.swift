/// Raises, resolves and acknowledges low-stock alerts.
public protocol AlertWriter: Sendable {
    /// Reads up to `limit` events after the alert consumer's cursor and, for each (store, product)
    /// whose stock or reorder level they changed, raises or resolves its alert by `AlertRule`, with
    /// `alert.raised` / `alert.resolved` events; the cursor moves in the same transaction, so a
    /// restart neither repeats nor misses one. Consumers on several instances take turns.
    func processAlerts(limit: Int) async throws -> AlertProgress
    /// Marks an open alert acknowledged; an acknowledged one is answered as it is.
    func acknowledgeAlert(id: Int64, by context: ChangeContext) async throws -> Alert
}

/// Checks a backend's health and walks its whole ledger and audit log for breaks.
public protocol StorageMaintenance: Sendable {
    /// Throws unless the database answers a trivial query in time.
    func checkHealth() async throws
    /// Walks the whole ledger and reports every place where it disagrees with itself.
    func verifyLedger() async throws -> LedgerVerification
    /// Walks every audit chain and names the first entry where each one breaks.
    func verifyAuditLog() async throws -> AuditVerification
}

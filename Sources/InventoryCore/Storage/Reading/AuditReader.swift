/// Reads the audit log.
public protocol AuditReader: Sendable {
    /// Audit entries, newest first.
    func auditEntries(_ query: AuditQuery) async throws -> Page<AuditEntry>
}

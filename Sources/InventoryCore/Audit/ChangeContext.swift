/// Who makes a change, and from where: every change to the storage carries one, and the storage
/// writes it to the audit log in the same transaction as the change.
public struct ChangeContext: Sendable, Hashable {
    public var actor: Identity
    /// The actor's role when they acted; nil for the system and anonymous callers.
    public var role: Role?
    /// The HTTP request id (`X-Request-Id`), when the change came over HTTP.
    public var requestID: String?
    /// The client's network address, when the change came over HTTP.
    public var clientAddress: String?

    public init(actor: Identity, role: Role?, requestID: String? = nil, clientAddress: String? = nil) {
        self.actor = actor
        self.role = role
        self.requestID = requestID
        self.clientAddress = clientAddress
    }

    public init(principal: Principal, requestID: String? = nil, clientAddress: String? = nil) {
        self.init(actor: principal.identity, role: principal.role, requestID: requestID, clientAddress: clientAddress)
    }

    /// A change made with the command line on the server's machine (it can open the database, so it is trusted).
    public static func commandLine(_ operatingSystemUser: String) -> ChangeContext {
        ChangeContext(actor: .commandLine(operatingSystemUser), role: .admin)
    }
}

import InventoryCore

/// How long a client connection may idle or dawdle, and how many may be open at once.
public struct ConnectionLimits: Sendable {
    /// A keep-alive connection with no request in progress is closed after this (nginx's 75 s).
    public var idleTimeout: Duration
    /// From the first byte of a request to the end of its head (slowloris sends a head byte by byte).
    public var requestHeadTimeout: Duration
    /// From the end of a request's head to the end of its body.
    public var requestBodyTimeout: Duration
    /// Open connections at most; past it the longest-idle one makes room, or, when every one is
    /// busy with a request, the new one is closed at once.
    public var connectionsMax: Int

    public init(
        idleTimeout: Duration = Limits.idleTimeoutDefault,
        requestHeadTimeout: Duration = Limits.requestHeadTimeoutDefault,
        requestBodyTimeout: Duration = Limits.requestBodyTimeoutDefault,
        connectionsMax: Int = Limits.connectionsMaxDefault
    ) {
        precondition(idleTimeout > .zero && requestHeadTimeout > .zero && requestBodyTimeout > .zero)
        precondition(connectionsMax > 0, "a server needs room for at least one connection")
        self.idleTimeout = idleTimeout
        self.requestHeadTimeout = requestHeadTimeout
        self.requestBodyTimeout = requestBodyTimeout
        self.connectionsMax = connectionsMax
    }
}

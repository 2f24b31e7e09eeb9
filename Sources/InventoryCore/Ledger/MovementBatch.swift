/// One or more movements for one store, applied all together or not at all.
public struct MovementBatch: Sendable, Hashable {
    public var storeID: Int64
    public var commands: [MovementCommand]
    /// Set when the client sent an idempotency key; a replay with the same claim changes nothing.
    public var idempotency: IdempotencyClaim?

    public init(storeID: Int64, commands: [MovementCommand], idempotency: IdempotencyClaim? = nil)
        throws(InventoryError)
    {
        guard !commands.isEmpty else {
            throw .invalidField(name: "movements", reason: "must hold at least one movement")
        }
        guard commands.count <= Limits.batchSizeMax else {
            throw .invalidField(name: "movements", reason: "must hold at most \(Limits.batchSizeMax) movements")
        }
        if commands.contains(where: { !MovementKind.recordable.contains($0.kind) }) {
            throw .invalidField(
                name: "kind", reason: "transfer_out and transfer_in are written only by a transfer between two stores")
        }
        self.storeID = storeID
        self.commands = commands
        self.idempotency = idempotency
    }

    /// A deterministic text of the whole request; its hash is what an idempotency key is bound to.
    public var canonicalText: String {
        (["store=\(storeID)"] + commands.map(\.canonicalText)).joined(separator: "\n")
    }
}

/// An idempotency key together with the fingerprint of the request it was first used for.
public struct IdempotencyClaim: Sendable, Hashable {
    public var key: String
    /// A hash of the request's canonical text; a different request under the same key is refused.
    public var requestHash: String

    public init(key: String, requestHash: String) throws(InventoryError) {
        guard !key.isEmpty, key.count <= Limits.idempotencyKeyLengthMax,
            key.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F })
        else {
            throw .invalidField(
                name: "Idempotency-Key",
                reason: "must be 1 to \(Limits.idempotencyKeyLengthMax) visible ASCII characters")
        }
        self.key = key
        self.requestHash = requestHash
    }

    /// This claim as the caller `actor` makes it: keys belong to whoever sent them (as Stripe scopes
    /// them per account), so one till's key never collides with, or reveals, another principal's.
    /// The stored key is the scope, a space (which a key cannot contain) and the client's key.
    public func scoped(to actor: Identity) -> IdempotencyClaim {
        var claim = self
        claim.key = "\(actor.kind.rawValue):\(actor.id.map(String.init) ?? actor.name) \(key)"
        return claim
    }

    /// The key a client sent, from a stored one (keys stored before scoping carry no scope).
    public static func clientKey(stored: String) -> String {
        stored.split(separator: " ").last.map(String.init) ?? stored
    }

    /// Runs `record` with `claim` scoped to `actor`, and gives back what it answers (movements,
    /// refusals) in the client's own key.
    public static func scoping<T>(
        _ claim: IdempotencyClaim?, to actor: Identity, _ record: (IdempotencyClaim?) async throws -> T
    ) async throws -> T {
        do {
            return try await record(claim?.scoped(to: actor))
        } catch InventoryError.idempotencyKeyReused(let stored) {
            throw InventoryError.idempotencyKeyReused(key: clientKey(stored: stored))
        }
    }
}

extension RecordedMovements {
    /// The movements with their idempotency keys as the client sent them.
    public var unscoped: RecordedMovements {
        var copy = self
        for index in copy.movements.indices {
            copy.movements[index].idempotencyKey = copy.movements[index].idempotencyKey.map {
                IdempotencyClaim.clientKey(stored: $0)
            }
        }
        return copy
    }
}

/// What recording a batch produced.
public struct RecordedMovements: Sendable, Hashable {
    public var movements: [Movement]
    /// True when the idempotency key had been used for this same request and nothing new was stored.
    public var replayed: Bool

    public init(movements: [Movement], replayed: Bool) {
        self.movements = movements
        self.replayed = replayed
    }
}

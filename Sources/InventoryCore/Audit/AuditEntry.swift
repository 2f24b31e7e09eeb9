import Foundation

/// What one change did, as the storage describes it before writing its audit entry.
public struct AuditRecord: Sendable, Hashable {
    /// `entity.verb`, such as `product.create`, `movements.record`, `auth.login_failed`.
    public var action: String
    public var entityType: String
    public var entityID: String
    /// The entity before and after the change, as JSON; nil for a creation or a deletion.
    public var before: String?
    public var after: String?
    /// The audit chain the entry joins: the store's for changes at one store (so busy stores do not
    /// queue behind each other), 0 for everything else.
    public var chain: Int64
    /// The events the change publishes, appended to the event log in the same transaction. They
    /// are not part of the audit entry (a record read back from the log has none).
    public var events: [EventRecord] = []

    public init(
        action: String, entityType: String, entityID: String, before: String? = nil, after: String? = nil,
        chain: Int64 = AuditRecord.globalChain
    ) {
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.before = before
        self.after = after
        self.chain = chain
    }

    /// The chain of changes that belong to no single store.
    public static let globalChain: Int64 = 0

    /// Describes a change of `entity` from `before` to `after` (either nil), encoding both as JSON.
    /// Only the vocabulary in `AuditRecord+Vocabulary.swift` builds records, so each action is named once.
    static func change<Value: Encodable>(
        _ action: String, _ entityType: String, id: some CustomStringConvertible, before: Value?, after: Value?,
        chain: Int64 = globalChain
    ) -> AuditRecord {
        var snapshots: (before: String?, after: String?) = (nil, nil)
        if let before { snapshots.before = AuditSnapshot.json(before) }
        if let after { snapshots.after = AuditSnapshot.json(after) }
        return AuditRecord(
            action: action, entityType: entityType, entityID: id.description,
            before: snapshots.before, after: snapshots.after, chain: chain)
    }
}

/// One row of the audit log.
public struct AuditEntry: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var chain: Int64
    /// Position in its chain, from 1.
    public var sequence: Int64
    public var recordedAt: Date
    public var context: ChangeContext
    public var record: AuditRecord
    /// The hash of the entry before it in the chain (`AuditChain.genesisHash` for the first).
    public var previousHash: String
    /// SHA-256 over this entry's content and `previousHash`, in hex.
    public var hash: String

    public init(
        id: Int64, chain: Int64, sequence: Int64, recordedAt: Date, context: ChangeContext, record: AuditRecord,
        previousHash: String, hash: String
    ) {
        self.id = id
        self.chain = chain
        self.sequence = sequence
        self.recordedAt = recordedAt
        self.context = context
        self.record = record
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// Filters for reading the audit log, newest first.
public struct AuditQuery: Sendable, Hashable {
    /// The actor's name (username, key name, `cli:…`).
    public var actor: String?
    public var action: String?
    public var entityType: String?
    public var entityID: String?
    public var from: Date?
    public var to: Date?
    public var page: PageRequest

    public init(
        actor: String? = nil, action: String? = nil, entityType: String? = nil, entityID: String? = nil,
        from: Date? = nil, to: Date? = nil, page: PageRequest
    ) {
        self.actor = actor
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.from = from
        self.to = to
        self.page = page
    }
}

/// JSON snapshots of entities for the audit log: sorted keys, dates as ISO 8601 with milliseconds.
public enum AuditSnapshot {
    public static func json(_ value: some Encodable) -> String {
        if let movements = value as? [Movement] { return json(movements) }
        return encoded(value)
    }

    /// The snapshot through JSONEncoder: what every type's snapshot is, and what `json(_: [Movement])` must equal.
    static func encoded(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(timestamp(date))
        }
        // Every snapshot type is plain data; failing to encode one is a programming error.
        guard let data = try? encoder.encode(value) else { preconditionFailure("cannot encode \(type(of: value))") }
        return String(decoding: data, as: UTF8.self)
    }
}

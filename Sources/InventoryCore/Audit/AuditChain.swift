import Foundation

/// The hash chain of the audit log: what is hashed, and how a walk over the entries finds tampering.
///
/// Each entry's hash is SHA-256 over `text(of:)`, which holds every stored field and the previous
/// entry's hash, so changing, removing or inserting an entry breaks the chain from there on. The
/// hash function is passed in: the core stays free of cryptography libraries.
public enum AuditChain {
    /// The `previousHash` of the first entry of a chain.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The exact text an entry's hash covers. Fields are JSON-encoded in a fixed order, so no
    /// choice of values can make two different entries read the same.
    public static func text(
        chain: Int64, sequence: Int64, recordedAt: Date, context: ChangeContext, record: AuditRecord,
        previousHash: String
    ) -> String {
        let fields: [String?] = [
            String(chain), String(sequence), String(recordedAt.unixMilliseconds), context.actor.kind.rawValue,
            context.actor.id.map { String($0) }, context.actor.name, context.role?.rawValue, record.action,
            record.entityType, record.entityID, record.before, record.after, context.requestID, context.clientAddress,
            previousHash,
        ]
        // Encoding an array of optional strings cannot fail.
        let data = try! JSONEncoder().encode(fields)
        return String(decoding: data, as: UTF8.self)
    }

    public static func text(of entry: AuditEntry) -> String {
        text(
            chain: entry.chain, sequence: entry.sequence, recordedAt: entry.recordedAt, context: entry.context,
            record: entry.record, previousHash: entry.previousHash)
    }
}

/// A walk over the audit log in (chain, sequence) order that reports the first place each chain breaks.
public struct AuditVerifier {
    /// SHA-256 of a text, in lower-case hex.
    let hash: (String) -> String
    private var current: (chain: Int64, sequence: Int64, hash: String)?
    private var brokenChains: Set<Int64> = []
    public private(set) var verification = AuditVerification()

    public init(hash: @escaping (String) -> String) {
        self.hash = hash
    }

    /// Checks the next entry; entries must come ordered by chain, then sequence, then id.
    public mutating func check(_ entry: AuditEntry) {
        verification.entriesChecked += 1
        if current?.chain != entry.chain {
            verification.chains += 1
            current = nil
        }
        defer { current = (entry.chain, entry.sequence, entry.hash) }
        guard !brokenChains.contains(entry.chain) else { return }
        if current == nil, entry.sequence > 1 {
            // The chain's older months were archived (detached partitions): its oldest kept entry
            // anchors the rest, and only its own hash can be checked here.
            verification.chainsStartingAfterArchive += 1
            if hash(AuditChain.text(of: entry)) != entry.hash {
                report(entry, .altered, "its content does not match its hash")
            }
            return
        }
        let expectedSequence = (current?.sequence ?? 0) + 1
        let expectedPrevious = current?.hash ?? AuditChain.genesisHash
        if entry.sequence < expectedSequence {
            report(entry, .outOfOrder, "sequence \(entry.sequence) comes again after \(expectedSequence - 1)")
        } else if entry.sequence > expectedSequence {
            report(entry, .missingBefore, "sequence jumps from \(expectedSequence - 1) to \(entry.sequence)")
        } else if entry.previousHash != expectedPrevious {
            report(entry, .outOfOrder, "its previous hash is not the hash of the entry before it")
        } else if hash(AuditChain.text(of: entry)) != entry.hash {
            report(entry, .altered, "its content does not match its hash")
        }
    }

    /// Checks that chain `chain` ends where its recorded head says: entries removed from its end show here.
    public mutating func checkHead(chain: Int64, sequence: Int64, lastSequence: Int64?) {
        guard !brokenChains.contains(chain), sequence != (lastSequence ?? 0) else { return }
        brokenChains.insert(chain)
        verification.breaks.append(
            AuditBreak(
                entryID: nil, chain: chain, sequence: sequence, problem: .missingBefore,
                detail: "the chain's head is at sequence \(sequence) but its last entry is at \(lastSequence ?? 0)"))
    }

    private mutating func report(_ entry: AuditEntry, _ problem: AuditBreak.Problem, _ detail: String) {
        brokenChains.insert(entry.chain)
        verification.breaks.append(
            AuditBreak(
                entryID: entry.id, chain: entry.chain, sequence: entry.sequence, problem: problem, detail: detail))
    }
}

/// What walking the audit log found.
public struct AuditVerification: Sendable, Hashable {
    public var entriesChecked = 0
    public var chains = 0
    /// Chains whose oldest kept entry is not their first, because earlier months were archived.
    public var chainsStartingAfterArchive = 0
    /// The first break of each broken chain.
    public var breaks: [AuditBreak] = []

    public init() {}

    public var isIntact: Bool { breaks.isEmpty }
}

/// The first place a chain of the audit log stops holding together.
public struct AuditBreak: Sendable, Hashable {
    public enum Problem: String, Sendable, Hashable {
        /// The entry's content was changed after it was written.
        case altered
        /// One or more entries before this one were removed.
        case missingBefore = "missing_before"
        /// The entry was inserted, or put in a place it was not written at.
        case outOfOrder = "out_of_order"
    }

    /// The entry where the chain breaks; nil when entries are missing from the chain's end.
    public var entryID: Int64?
    public var chain: Int64
    public var sequence: Int64
    public var problem: Problem
    public var detail: String

    public init(entryID: Int64?, chain: Int64, sequence: Int64, problem: Problem, detail: String) {
        self.entryID = entryID
        self.chain = chain
        self.sequence = sequence
        self.problem = problem
        self.detail = detail
    }
}

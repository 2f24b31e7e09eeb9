/// Checks that every product's movements in every store form an unbroken chain from zero to
/// the stored on-hand, fed one movement at a time in (store, product, id) order.
///
/// It keeps one chain in memory at a time, so it can walk a ledger of any size.
public struct LedgerVerifier: Sendable {
    private var chain: (storeID: Int64, productID: Int64, balance: Quantity, onHand: Quantity)?
    private var result = LedgerVerification()

    public init() {}

    /// Feeds the next movement; `onHand` is the stored on-hand of its (store, product).
    public mutating func observe(
        storeID: Int64, productID: Int64, movementID: Int64, delta: Quantity, balanceAfter: Quantity, onHand: Quantity
    ) {
        if let current = chain, current.storeID != storeID || current.productID != productID {
            closeChain()
        }
        if chain == nil {
            chain = (storeID, productID, .zero, onHand)
            result.chainsChecked += 1
        }
        let expected = chain!.balance + delta
        if balanceAfter != expected {
            record(
                .init(
                    storeID: storeID, productID: productID, movementID: movementID,
                    problem: .chainBroken(expected: expected, found: balanceAfter)))
        }
        if balanceAfter < .zero {
            record(
                .init(
                    storeID: storeID, productID: productID, movementID: movementID,
                    problem: .negativeBalance(balanceAfter)))
        }
        chain!.balance = balanceAfter
        result.movementsChecked += 1
    }

    /// Notes a stock level whose on-hand is not zero although it has no movement at all.
    public mutating func observeStockWithoutMovements(storeID: Int64, productID: Int64, onHand: Quantity) {
        record(
            .init(
                storeID: storeID, productID: productID, movementID: nil,
                problem: .onHandMismatch(ledger: .zero, onHand: onHand)))
    }

    /// Ends the walk and returns what it found.
    public mutating func finish() -> LedgerVerification {
        closeChain()
        return result
    }

    private mutating func closeChain() {
        guard let current = chain else { return }
        if current.balance != current.onHand {
            record(
                .init(
                    storeID: current.storeID, productID: current.productID, movementID: nil,
                    problem: .onHandMismatch(ledger: current.balance, onHand: current.onHand)))
        }
        chain = nil
    }

    private mutating func record(_ ledgerBreak: LedgerVerification.Break) {
        result.breakCount += 1
        if result.breaks.count < Limits.ledgerBreaksReportedMax {
            result.breaks.append(ledgerBreak)
        }
    }
}

/// The outcome of walking the ledger.
public struct LedgerVerification: Sendable, Hashable {
    /// One place where the ledger disagrees with itself.
    public struct Break: Sendable, Hashable {
        public var storeID: Int64
        public var productID: Int64
        /// The movement where the break shows, when it shows at a movement.
        public var movementID: Int64?
        public var problem: Problem
    }

    public enum Problem: Sendable, Hashable {
        /// `balance_after` is not the previous balance plus this delta.
        case chainBroken(expected: Quantity, found: Quantity)
        /// A balance below zero.
        case negativeBalance(Quantity)
        /// The chain ends at one balance and the stock level says another.
        case onHandMismatch(ledger: Quantity, onHand: Quantity)
    }

    public var movementsChecked = 0
    public var chainsChecked = 0
    /// Every break found; `breaks` holds the first `Limits.ledgerBreaksReportedMax`.
    public var breakCount = 0
    public var breaks: [Break] = []

    public var isIntact: Bool { breakCount == 0 }

    public init() {}
}

extension LedgerVerification.Break: CustomStringConvertible {
    public var description: String {
        let place = "store \(storeID), product \(productID)" + (movementID.map { ", movement \($0)" } ?? "")
        switch problem {
        case .chainBroken(let expected, let found):
            return "\(place): balance_after is \(found), the chain says \(expected)"
        case .negativeBalance(let balance):
            return "\(place): balance \(balance) is below zero"
        case .onHandMismatch(let ledger, let onHand):
            return "\(place): on-hand is \(onHand), the ledger sums to \(ledger)"
        }
    }
}

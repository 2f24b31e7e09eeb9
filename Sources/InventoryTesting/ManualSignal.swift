import Foundation

/// A one-shot signal between two tasks of a test: `wait` returns once `signal` has been called
/// (at once, if it already was).
public final class ManualSignal: @unchecked Sendable {
    // Both stored properties are read and written under `lock` only.
    private let lock = NSLock()
    private var signalled = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init() {}

    public func signal() {
        let resumed = lock.withLock {
            signalled = true
            defer { waiting = [] }
            return waiting
        }
        for continuation in resumed { continuation.resume() }
    }

    public func wait() async {
        await withCheckedContinuation { continuation in
            let now = lock.withLock {
                if signalled { return true }
                waiting.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }
}

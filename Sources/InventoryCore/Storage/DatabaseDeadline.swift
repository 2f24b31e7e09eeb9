import Foundation

/// Bounds how long one database call may keep its caller waiting.
///
/// `run` answers with the call's result, or with `InventoryError.storageUnavailable` once the
/// timeout has passed, whatever the call is still waiting for (a pooled connection while the
/// server is down, a lock, a reply that will never come). A write cut off this way may or may not
/// have committed; its idempotency key makes a retry safe.
public struct DatabaseDeadline: Sendable {
    /// How long a call may take.
    public var timeout: Duration

    public init(timeout: Duration = Limits.databaseTimeoutDefault) {
        precondition(timeout > .zero, "a database deadline needs a positive timeout")
        self.timeout = timeout
    }

    /// Runs `work`, answering within `timeout`. On expiry the work is cancelled and `onExpiry` runs
    /// (a backend closes the connection the work holds, so whatever it waits on ends too).
    ///
    /// The work runs in its own task rather than a child task on purpose: a task group would wait
    /// for the work to end, and a statement written to a connection that had already closed may
    /// never end (postgres-nio 1.33 drops such a write without failing it; the upstream fix,
    /// vapor/postgres-nio#487, was reverted in #501). Such a task is abandoned after its deadline; it
    /// holds no lock, since its connection is closed.
    public func run<T: Sendable>(
        onExpiry: @escaping @Sendable () -> Void = {}, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        let timeout = timeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard race.begin(continuation) else { return }
                let worker = Task {
                    do {
                        race.finish(.success(try await work()))
                    } catch {
                        race.finish(.failure(error))
                    }
                }
                let timer = Task {
                    try? await Task.sleep(for: timeout)
                    guard !Task.isCancelled else { return }
                    let reason =
                        "it did not answer within \(timeout.secondsText); retry (with the same Idempotency-Key for a write)"
                    if race.finish(.failure(InventoryError.storageUnavailable(reason: reason))) {
                        worker.cancel()
                        onExpiry()
                    }
                }
                race.attach(worker: worker, timer: timer)
            }
        } onCancel: {
            race.cancel()
        }
    }
}

/// Whichever of the work, the timer and the caller's cancellation comes first resumes the caller,
/// exactly once; the timer stops once there is an answer, and cancelling the caller cancels both.
private final class Race<T: Sendable>: @unchecked Sendable {
    // Every stored property is read and written under `lock` only.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    /// A result that came before the caller's continuation did (a caller cancelled at once).
    private var early: Result<T, any Error>?
    private var finished = false
    private var cancelled = false
    private var worker: Task<Void, Never>?
    private var timer: Task<Void, Never>?

    /// Holds the caller's continuation; false (having resumed it) when the caller was already cancelled.
    func begin(_ continuation: CheckedContinuation<T, any Error>) -> Bool {
        let early = lock.withLock {
            if self.early == nil { self.continuation = continuation }
            return self.early
        }
        guard let early else { return true }
        continuation.resume(with: early)
        return false
    }

    func attach(worker: Task<Void, Never>, timer: Task<Void, Never>) {
        let (finished, cancelled) = lock.withLock {
            self.worker = worker
            self.timer = timer
            return (self.finished, self.cancelled)
        }
        if finished { timer.cancel() }
        if cancelled { worker.cancel() }
    }

    /// Resumes the caller with `result` unless it was resumed already; true when this call did it.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        let (won, continuation, timer) = lock.withLock {
            () -> (Bool, CheckedContinuation<T, any Error>?, Task<Void, Never>?) in
            guard !finished else { return (false, nil, nil) }
            finished = true
            if self.continuation == nil { early = result }
            defer { self.continuation = nil }
            return (true, self.continuation, self.timer)
        }
        timer?.cancel()
        continuation?.resume(with: result)
        return won
    }

    /// The caller was cancelled: cancel the work and answer `CancellationError`.
    func cancel() {
        let worker = lock.withLock {
            cancelled = true
            return self.worker
        }
        worker?.cancel()
        finish(.failure(CancellationError()))
    }
}

extension Duration {
    /// The duration in seconds, for `Date` arithmetic.
    public var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// "5 s", "0.5 s".
    public var secondsText: String {
        let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        guard milliseconds % 1000 != 0 else { return "\(milliseconds / 1000) s" }
        var fraction = String(String(milliseconds % 1000).reversed().drop { $0 == "0" }.reversed())
        fraction = String(repeating: "0", count: max(0, 3 - String(milliseconds % 1000).count)) + fraction
        return "\(milliseconds / 1000).\(fraction) s"
    }
}

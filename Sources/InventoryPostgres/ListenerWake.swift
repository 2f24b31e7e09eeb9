import NIOConcurrencyHelpers

/// Wakes the instances listening for events after commits that may have appended some.
///
/// A NOTIFY inside the writing transaction would be the obvious place, but PostgreSQL serializes
/// the commits of every transaction that notifies (a database-wide lock held through the commit's
/// WAL flush): measured, it cost single movements a third of their throughput. So the writing
/// process sends the notification after its commit, from one task at a time, at most one per
/// 20 ms: a commit meanwhile asks for one more after it. A notification is only a wake-up;
/// one that is lost (the process died between its commit and the send) costs a listener no more
/// than its next regular read.
final class ListenerWake: Sendable {
    private let state = NIOLockedValueBox((scheduled: false, again: false))

    /// Called after a commit; `send` notifies, and is never run twice at once.
    func committed(_ send: @escaping @Sendable () async -> Void) {
        let start = state.withLockedValue { state in
            if state.scheduled {
                state.again = true
                return false
            }
            state.scheduled = true
            return true
        }
        guard start else { return }
        Task {
            while true {
                state.withLockedValue { $0.again = false }
                await send()
                // At most one notification per interval: each is a small transaction PostgreSQL commits
                // one at a time, so a burst of commits shares one.
                try? await Task.sleep(for: .milliseconds(20))
                let again = state.withLockedValue { state in
                    if state.again { return true }
                    state.scheduled = false
                    return false
                }
                if !again { return }
            }
        }
    }
}

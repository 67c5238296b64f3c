import NIOConcurrencyHelpers
import WSEngine

/// The sessions `--listen` has open, so that stdin lines reach every client and a signal closes them all.
///
/// Each client has its own ``ClientOutbox``. A broadcast goes on as soon as the fastest client has taken
/// most of what it was given, so stdin is read at that client's pace: a client that cannot keep up falls
/// behind by its outbox's limit and is then closed with 1008, instead of holding up the others.
final class ClientRegistry: Sendable {
    /// A broadcast waits until some client has fewer bytes than this queued.
    static let paceBytes = 1 << 20

    private struct State {
        var outboxes: [Int: ClientOutbox] = [:]
        var nextID = 0
        var stopping = false
        /// The broadcast waiting for a client to take its lines.
        var waiting: CheckedContinuation<Void, Never>?

        /// Whether a broadcast may go on: some client keeps up, or nobody is there to wait for.
        var mayBroadcast: Bool {
            self.stopping || self.outboxes.isEmpty
                || self.outboxes.values.contains { $0.queuedBytes < ClientRegistry.paceBytes }
        }
    }

    private let state = NIOLockedValueBox(State())

    /// Registers a session; `nil` when the listener is already stopping, and the session should close.
    /// Lines broadcast to the client go out through its outbox, whose ``ClientOutbox/run(progress:)`` the
    /// caller runs while the session lasts.
    func add(_ writer: SessionWriter) -> (id: Int, outbox: ClientOutbox)? {
        let added = self.state.withLockedValue { state -> (Int, ClientOutbox)? in
            guard !state.stopping else { return nil }
            state.nextID += 1
            let outbox = ClientOutbox(writer: writer)
            state.outboxes[state.nextID] = outbox
            return (state.nextID, outbox)
        }
        self.progressed()
        return added
    }

    /// Forgets a session that ended.
    func remove(_ id: Int) {
        let outbox = self.state.withLockedValue { $0.outboxes.removeValue(forKey: id) }
        outbox?.finish()
        self.progressed()
    }

    /// Queues `commands` for every open session, closing those too slow to take them, then waits until
    /// some client has taken most of what it was given (or none is left).
    func broadcast(_ commands: [SessionCommand]) async {
        let outboxes = self.state.withLockedValue { state in state.outboxes.sorted { $0.key < $1.key }.map(\.value) }
        for outbox in outboxes {
            // A client too slow for it is closed with 1008; its close line says so.
            _ = outbox.enqueue(commands)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = self.state.withLockedValue { state in
                    guard !state.mayBroadcast, !Task.isCancelled else { return true }
                    state.waiting = continuation
                    return false
                }
                if resumeNow {
                    continuation.resume()
                }
            }
        } onCancel: {
            self.state.withLockedValue { state in state.waiting.take() }?.resume()
        }
    }

    /// An outbox sent a batch, or the set of clients changed: resumes a waiting broadcast if it may go on.
    func progressed() {
        let waiting = self.state.withLockedValue { state in state.mayBroadcast ? state.waiting.take() : nil }
        waiting?.resume()
    }

    /// Refuses new sessions from now on and returns the open ones' outboxes, to close.
    func stop() -> [ClientOutbox] {
        let (outboxes, waiting) = self.state.withLockedValue { state in
            state.stopping = true
            return (state.outboxes.sorted { $0.key < $1.key }.map(\.value), state.waiting.take())
        }
        waiting?.resume()
        return outboxes
    }

    /// Returns once at least one session is open, or the listener stops.
    ///
    /// Polls every 50 ms rather than keeping continuations: it only runs while nobody is connected and
    /// input is waiting, and a sleeping task is cancelled cleanly.
    func waitForClient() async throws {
        while self.state.withLockedValue({ $0.outboxes.isEmpty && !$0.stopping }) {
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

import NIOConcurrencyHelpers
import WSEngine

/// The sessions `--listen` has open, so that stdin lines (or lines typed in the REPL) reach every client, the
/// REPL can say how many a line goes to, and a signal closes them all: the one list of connected clients.
///
/// Each client has its own ``ClientOutbox``. A broadcast goes on as soon as the fastest client has taken
/// most of what it was given, so stdin is read at that client's pace: a client that cannot keep up falls
/// behind by its outbox's limit and is then closed with 1008, instead of holding up the others.
final class ClientRegistry: Sendable {
    /// A broadcast waits until some client has fewer bytes than this queued.
    static let paceBytes = 1 << 20

    /// What a task waits for; it is woken when a client comes or goes, an outbox sends a batch, or the
    /// listener stops (which ends every wait).
    private enum Condition {
        /// Some client is connected.
        case clientConnected
        /// A broadcast may go on: some client keeps up, or nobody is there to wait for.
        case someClientKeepsUp
    }

    private struct State {
        var outboxes: [Int: ClientOutbox] = [:]
        var nextID = 0
        var stopping = false
        /// The tasks waiting, each until its condition holds, by the order they came in.
        var waiters: [Int: (condition: Condition, continuation: CheckedContinuation<Void, Never>)] = [:]
        var nextWaiterID = 0

        func holds(_ condition: Condition) -> Bool {
            if self.stopping {
                return true
            }
            switch condition {
            case .clientConnected:
                return !self.outboxes.isEmpty
            case .someClientKeepsUp:
                return self.outboxes.isEmpty
                    || self.outboxes.values.contains { $0.queuedBytes < ClientRegistry.paceBytes }
            }
        }

        /// Removes and returns the waiters whose condition holds now.
        mutating func takeReadyWaiters() -> [CheckedContinuation<Void, Never>] {
            let ready = self.waiters.filter { self.holds($0.value.condition) }
            for id in ready.keys {
                self.waiters[id] = nil
            }
            return ready.sorted { $0.key < $1.key }.map(\.value.continuation)
        }
    }

    private let state = NIOLockedValueBox(State())

    /// How many clients are connected: those a broadcast would go to now.
    var count: Int {
        self.state.withLockedValue { $0.outboxes.count }
    }

    /// How many tasks wait for a client, or for a broadcast to go on.
    var waitingTasks: Int {
        self.state.withLockedValue { $0.waiters.count }
    }

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
        await self.wait(until: .someClientKeepsUp)
    }

    /// Returns once at least one session is open, or the listener stops; throws `CancellationError` when
    /// the task is cancelled.
    func waitForClient() async throws {
        await self.wait(until: .clientConnected)
        try Task.checkCancellation()
    }

    /// An outbox sent a batch, or the set of clients changed: resumes the waits that may go on.
    func progressed() {
        for waiter in self.state.withLockedValue({ $0.takeReadyWaiters() }) {
            waiter.resume()
        }
    }

    /// Refuses new sessions from now on and returns the open ones' outboxes, to close.
    func stop() -> [ClientOutbox] {
        let outboxes = self.state.withLockedValue { state in
            state.stopping = true
            return state.outboxes.sorted { $0.key < $1.key }.map(\.value)
        }
        self.progressed()
        return outboxes
    }

    /// Returns once `condition` holds, or the task is cancelled.
    private func wait(until condition: Condition) async {
        let id = self.state.withLockedValue { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = self.state.withLockedValue { state in
                    guard !state.holds(condition), !Task.isCancelled else { return true }
                    state.waiters[id] = (condition, continuation)
                    return false
                }
                if resumeNow {
                    continuation.resume()
                }
            }
        } onCancel: {
            self.state.withLockedValue { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
        }
    }
}

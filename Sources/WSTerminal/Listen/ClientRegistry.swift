import NIOConcurrencyHelpers
import WSEngine

/// The sessions `--listen` has open, so that stdin lines reach every client and a signal closes them all.
final class ClientRegistry: Sendable {
    private struct State {
        var writers: [Int: SessionWriter] = [:]
        var nextID = 0
        var stopping = false
    }

    private let state = NIOLockedValueBox(State())

    /// Registers a session; `nil` when the listener is already stopping, and the session should close.
    func add(_ writer: SessionWriter) -> Int? {
        self.state.withLockedValue { state in
            guard !state.stopping else { return nil }
            state.nextID += 1
            state.writers[state.nextID] = writer
            return state.nextID
        }
    }

    /// Forgets a session that ended.
    func remove(_ id: Int) {
        _ = self.state.withLockedValue { $0.writers.removeValue(forKey: id) }
    }

    /// The open sessions, in the order they connected.
    var writers: [SessionWriter] {
        self.state.withLockedValue { state in state.writers.sorted { $0.key < $1.key }.map(\.value) }
    }

    /// Refuses new sessions from now on and returns the open ones, to close.
    func stop() -> [SessionWriter] {
        self.state.withLockedValue { state in
            state.stopping = true
            return state.writers.sorted { $0.key < $1.key }.map(\.value)
        }
    }

    /// Returns once at least one session is open, or the listener stops.
    ///
    /// Polls every 50 ms rather than keeping continuations: it only runs while nobody is connected and
    /// input is waiting, and a sleeping task is cancelled cleanly.
    func waitForClient() async throws {
        while self.state.withLockedValue({ $0.writers.isEmpty && !$0.stopping }) {
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

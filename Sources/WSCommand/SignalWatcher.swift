import Dispatch
import NIOConcurrencyHelpers
import WSEngine

#if canImport(Glibc)
    import Glibc
#endif

/// Turns SIGINT and SIGTERM into a clean close: the session is sent Close 1000 and the front end runs on
/// until the server's answer, so a user's Ctrl-C never leaves a half-closed peer.
///
/// It is installed before connecting, so that a signal at any moment is handled: before a session exists
/// it ends the process at once. The clean close is bounded: a second signal, or the close timeout passing
/// without the session ending (its Close may be stuck behind unsent data), also ends the process.
final class SignalWatcher: Sendable {
    private let state = NIOLockedValueBox(State())
    private let sources: SignalSources
    private let closeTimeout: Duration

    private struct State {
        var received = 0
        var session: AsyncStream<Int32>.Continuation?
    }

    /// Takes over SIGINT and SIGTERM from now on.
    init(closeTimeout: Duration) {
        self.closeTimeout = closeTimeout
        let state = self.state
        self.sources = SignalSources(
            [SIGINT, SIGTERM].map { number in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number)
                source.setEventHandler {
                    let session = state.withLockedValue { state -> AsyncStream<Int32>.Continuation? in
                        state.received += 1
                        return state.received == 1 ? state.session : nil
                    }
                    guard let session else { exit(ExitStatus.interrupted.rawValue) }
                    session.yield(number)
                    let grace = Double(closeTimeout.components.seconds) + 1
                    DispatchQueue.global().asyncAfter(deadline: .now() + grace) {
                        exit(ExitStatus.interrupted.rawValue)
                    }
                }
                source.resume()
                return source
            }
        )
    }

    deinit {
        self.sources.cancel()
    }

    /// Stops watching, for a front end that handles the signals itself (the REPL: Ctrl-C clears a typed line).
    /// Cancelling the sources closes Dispatch's signalfd, which would otherwise race the front end's handler
    /// for every signal.
    func stop() {
        self.sources.cancel()
    }

    /// Runs `body`; a signal meanwhile sends Close. Returns the body's result and the signal, if any.
    func closingOnSignal<Result: Sendable>(
        writer: SessionWriter,
        _ body: @Sendable () async throws -> Result
    ) async throws -> (Result, Int32?) {
        try await self.handlingSignal({ _ in try? await writer.send(.close(.normalClosure, reason: "")) }, body)
    }

    /// Runs `body`; the first signal meanwhile runs `onSignal`, which should make `body` end (`--listen`
    /// closes its clients). Returns the body's result and the signal, if any.
    func handlingSignal<Result: Sendable>(
        _ onSignal: @escaping @Sendable (Int32) async -> Void,
        _ body: @Sendable () async throws -> Result
    ) async throws -> (Result, Int32?) {
        let (signals, continuation) = AsyncStream.makeStream(of: Int32.self)
        self.state.withLockedValue { $0.session = continuation }
        defer { self.state.withLockedValue { $0.session = nil } }
        return try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask {
                for await signal in signals {
                    await onSignal(signal)
                    return signal
                }
                return nil
            }
            let result = try await body()
            continuation.finish()
            let signal = try await group.next() ?? nil
            return (result, signal)
        }
    }
}

/// Keeps the dispatch sources alive while the watcher lives, and cancels them after.
///
/// Unchecked because the Dispatch overlay does not mark its sources `Sendable`, although `cancel()` is
/// documented as safe from any thread; the array itself is never mutated.
private final class SignalSources: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(_ sources: [any DispatchSourceSignal]) {
        self.sources = sources
    }

    func cancel() {
        for source in self.sources {
            source.cancel()
        }
    }
}

import Dispatch
import NIOConcurrencyHelpers
import WSEngine

#if canImport(Glibc)
    import Glibc
#endif

/// Turns SIGINT, SIGTERM, SIGHUP and SIGQUIT (Ctrl-\) into a clean close, the same in every mode but the REPL
/// (which takes Ctrl-C as a key): the session is sent Close (1000 for SIGINT, the user's stop; 1001, going away,
/// for the others) and the front end runs on until the peer's answer, so a signal never leaves a
/// half-closed peer. The runner then exits 130 (`--listen`: 0, a signal being how a server is stopped).
///
/// It is installed before connecting, so that a signal at any moment is handled: before a session exists
/// it ends the process at once with 130. The clean close is bounded: a second signal ends the process at
/// once with 130, and the close timeout passing without the session ending (its Close may be stuck behind
/// unsent data, or output nobody reads) ends it with `statusAfterSignal`.
final class SignalWatcher: Sendable {
    private let state = NIOLockedValueBox(State())
    private let sources: SignalSources

    private struct State {
        var received = 0
        var session: AsyncStream<Int32>.Continuation?
    }

    /// The signals handled.
    static let signals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// The close code a signal asks for: 1000 for Ctrl-C, 1001 (going away) for the others.
    static func closeCode(for signal: Int32) -> CloseCode {
        signal == SIGINT ? .normalClosure : .goingAway
    }

    /// Takes over SIGINT, SIGTERM, SIGHUP and SIGQUIT from now on; `statusAfterSignal` is the exit status once a
    /// signal's clean close has had its time.
    init(closeTimeout: Duration, statusAfterSignal: ExitStatus) {
        let state = self.state
        self.sources = SignalSources(
            Self.signals.map { number in
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
                        exit(statusAfterSignal.rawValue)
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

    /// Runs `body`; a signal meanwhile sends Close with its code. Returns the body's result and the signal,
    /// if any.
    func closingOnSignal<Result: Sendable>(
        writer: SessionWriter,
        _ body: @Sendable () async throws -> Result
    ) async throws -> (Result, Int32?) {
        try await self.handlingSignal({ try? await writer.send(.close(Self.closeCode(for: $0), reason: "")) }, body)
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

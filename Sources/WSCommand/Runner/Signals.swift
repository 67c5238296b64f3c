import Dispatch
import NIOConcurrencyHelpers
import WSEngine
import WSTerminal

#if canImport(Glibc)
    import Glibc
#endif

/// The write end of the signal pipe, for the signal handler; set once, before any handler is installed.
nonisolated(unsafe) private var signalPipeWriteDescriptor: Int32 = -1

/// The one place wsc handles signals: installed by the runner before anything connects, it turns each
/// signal into an element of the stream of whoever listens now (the runner while connecting, then the front
/// end), never into work inside a signal handler.
///
/// Handled: SIGINT (Ctrl-C), SIGTERM, SIGHUP and SIGQUIT (Ctrl-\), which stop the run, and for the REPL also
/// SIGWINCH (the terminal changed size), SIGCONT (back in the foreground) and, while it runs, SIGTSTP (Ctrl-Z:
/// it restores the terminal before it stops). The handler only writes the signal's number to a pipe; a
/// Dispatch source reads it and hands it on.
///
/// What a stop means is the same in every mode but the REPL (which takes Ctrl-C as a key and decides for
/// itself): the session is sent Close (1000 for SIGINT, the user's stop; 1001, going away, for the others)
/// and the front end runs on until the peer's answer, so a signal never leaves a half-closed peer. The wait is
/// bounded: a second signal, or the close timeout passing, ends it.
final class Signals: Sendable {
    /// Every signal handled.
    static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGCONT]

    /// Not a signal: `--max-time` passed. It stops the run as SIGINT does, with its own exit status.
    static let timeLimit: Int32 = -1

    /// Whether `signal` asks wsc to stop (SIGWINCH and SIGCONT only concern the terminal).
    static func stops(_ signal: Int32) -> Bool {
        signal != SIGWINCH && signal != SIGCONT
    }

    /// The close code a stopping signal asks for: 1000 for Ctrl-C and the time limit, 1001 (going away) for
    /// the others.
    static func closeCode(for signal: Int32) -> CloseCode {
        signal == SIGINT || signal == Self.timeLimit ? .normalClosure : .goingAway
    }

    private struct State {
        var subscriber: AsyncStream<Int32>.Continuation?
        /// Signals that arrived while nobody listened, for the next subscriber.
        var pending: [Int32] = []
    }

    private let state = NIOLockedValueBox(State())
    private let source: ReadSource

    /// Installs the handlers for the rest of the process's life. Fails only when no pipe can be made.
    init() throws(SystemCallError) {
        let pipe = try WakePipe()
        precondition(signalPipeWriteDescriptor == -1, "signals are installed once per process")
        signalPipeWriteDescriptor = pipe.writeDescriptor
        let state = self.state
        let source = DispatchSource.makeReadSource(
            fileDescriptor: pipe.readDescriptor,
            queue: DispatchQueue(label: "signals")
        )
        source.setEventHandler {
            for byte in pipe.drain() {
                Self.deliver(Int32(byte), state: state)
            }
        }
        source.resume()
        self.source = ReadSource(source)
        for signalNumber in Self.handled {
            Self.forward(signalNumber)
        }
    }

    /// Sends `signalNumber` to the pipe from now on.
    private static func forward(_ signalNumber: Int32) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signalNumber in
            let savedErrno = errno
            var byte = UInt8(truncatingIfNeeded: signalNumber)
            _ = write(signalPipeWriteDescriptor, &byte, 1)
            errno = savedErrno
        }
        sigemptyset(&action.sa_mask)
        // A read or write interrupted by a signal goes on instead of failing with EINTR.
        action.sa_flags = SA_RESTART
        sigaction(signalNumber, &action, nil)
    }

    private static func deliver(_ signal: Int32, state: NIOLockedValueBox<State>) {
        state.withLockedValue { state in
            if let subscriber = state.subscriber {
                subscriber.yield(signal)
            } else if Self.stops(signal) {
                // A resize or a return to the foreground means nothing later: the REPL draws afresh.
                state.pending.append(signal)
            }
        }
    }

    /// The signals from now on (and any that arrived while nobody listened), until the next subscription
    /// ends this one, for the REPL, which handles them itself; Ctrl-Z (SIGTSTP) comes too, so that it can give
    /// the terminal back before it stops.
    func subscribeForTerminal() -> AsyncStream<Int32> {
        let stream = self.subscription().stream
        Self.forward(SIGTSTP)
        return stream
    }

    /// Subscribes; Ctrl-Z stops wsc as it does any program.
    private func subscription() -> (stream: AsyncStream<Int32>, continuation: AsyncStream<Int32>.Continuation) {
        signal(SIGTSTP, SIG_DFL)
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        self.state.withLockedValue { state in
            state.subscriber?.finish()
            state.subscriber = continuation
            for signal in state.pending {
                continuation.yield(signal)
            }
            state.pending = []
        }
        return (stream, continuation)
    }

    /// At `deadline`, stops the run as a signal would, with ``timeLimit``.
    func expire(at deadline: ContinuousClock.Instant) {
        let state = self.state
        Task {
            try await Task.sleep(until: deadline)
            Self.deliver(Self.timeLimit, state: state)
        }
    }

    /// Ends a subscription: signals wait for the next one instead of going to a stream nobody reads.
    private func unsubscribe() {
        self.state.withLockedValue { state in
            state.subscriber?.finish()
            state.subscriber = nil
        }
    }

    /// What came of a body run by ``unlessStopped(_:)``.
    enum Stoppable<Result: Sendable>: Sendable {
        case finished(Result)
        /// This signal (or ``timeLimit``) came first.
        case stopped(Int32)
    }

    /// Runs `body` unless a stopping signal comes first: then that signal, at once, without waiting for
    /// `body` (connecting holds nothing a peer is waiting for).
    func unlessStopped<Result: Sendable>(_ body: @escaping @Sendable () async -> Result) async -> Stoppable<Result> {
        let signals = self.subscription().stream
        defer { self.unsubscribe() }
        let outcome = await Self.first({ Stoppable.finished(await body()) }) {
            for await signal in signals where Self.stops(signal) {
                return .stopped(signal)
            }
            return nil
        }
        return outcome ?? .stopped(SIGINT)
    }

    /// How a body watched by ``closing(within:onSignal:_:)`` ended.
    enum Watched<Result: Sendable>: Sendable {
        /// The body ended; `signal` is the stopping signal that arrived meanwhile, if one did.
        case finished(Result, signal: Int32?)
        /// A second stopping signal, or the grace passing after the first, ended the wait for the body, which
        /// the first signal had asked to end.
        case abandoned(firstSignal: Int32)
    }

    /// Not a signal: the grace after the first signal is over.
    private static let graceOver: Int32 = 0

    /// Runs `body`; the first stopping signal meanwhile runs `onSignal` (which should make `body` end: send
    /// Close, or close every client). A second one, or `grace` passing after the first without `body`
    /// ending (its Close may be stuck behind unsent data, or output nobody reads), stops waiting.
    func closing<Result: Sendable>(
        within grace: Duration,
        onSignal: @escaping @Sendable (Int32) async -> Void,
        _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Watched<Result> {
        let (signals, continuation) = self.subscription()
        defer { self.unsubscribe() }
        let received = NIOLockedValueBox<Int32?>(nil)
        let outcome = await Self.first({ () -> Swift.Result<Result, any Error> in
            do {
                return .success(try await body())
            } catch {
                return .failure(error)
            }
        }) {
            for await signal in signals where signal == Self.graceOver || Self.stops(signal) {
                guard signal != Self.graceOver, received.withLockedValue({ $0 }) == nil else {
                    return nil
                }
                received.withLockedValue { $0 = signal }
                Task {
                    try? await Task.sleep(for: grace)
                    continuation.yield(Self.graceOver)
                }
                Task { await onSignal(signal) }
            }
            return nil
        }
        guard let outcome else { return .abandoned(firstSignal: received.withLockedValue { $0 } ?? SIGINT) }
        return .finished(try outcome.get(), signal: received.withLockedValue { $0 })
    }

    /// The first of `body` and `alternative` to finish: `body`'s result, or `nil` when `alternative` (a wait
    /// for signals) returned first. The other is cancelled and not waited for.
    private static func first<Result: Sendable>(
        _ body: @escaping @Sendable () async -> Result,
        orIfFirst alternative: @escaping @Sendable () async -> Result?
    ) async -> Result? {
        let tasks = NIOLockedValueBox<[Task<Void, Never>]>([])
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result?, Never>) in
            let once = NIOLockedValueBox<CheckedContinuation<Result?, Never>?>(continuation)
            let resume: @Sendable (Result?) -> Void = { value in
                once.withLockedValue { pending in
                    pending?.resume(returning: value)
                    pending = nil
                }
            }
            tasks.withLockedValue {
                $0 = [Task { resume(await body()) }, Task { resume(await alternative()) }]
            }
        }
        for task in tasks.withLockedValue({ $0 }) {
            task.cancel()
        }
        return result
    }
}

/// Keeps the Dispatch read source alive while the signals are handled.
///
/// Unchecked because the Dispatch overlay does not mark its sources `Sendable`; the source is set up before
/// this is made and never touched after.
private final class ReadSource: @unchecked Sendable {
    private let source: any DispatchSourceRead

    init(_ source: any DispatchSourceRead) {
        self.source = source
    }
}

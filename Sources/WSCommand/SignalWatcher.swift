import Dispatch
import WSEngine

#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT and SIGTERM into a clean close: the session is sent Close 1000 and the front end runs on
/// until the server's answer (or the close timeout), so a user's Ctrl-C never leaves a half-closed peer.
enum SignalWatcher {
    /// Runs `body`; a signal meanwhile sends Close. Returns the body's result and the signal, if any.
    static func closingOnSignal<Result: Sendable>(
        writer: SessionWriter,
        _ body: @Sendable () async throws -> Result
    ) async throws -> (Result, Int32?) {
        let signals = Self.signals()
        return try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask {
                for await signal in signals {
                    try? await writer.send(.close(.normalClosure, reason: ""))
                    return signal
                }
                return nil
            }
            let result = try await body()
            group.cancelAll()
            let signal = try await group.next() ?? nil
            return (result, signal)
        }
    }

    /// SIGINT and SIGTERM as an async sequence; the default handlers are replaced while it is iterated.
    private static func signals() -> AsyncStream<Int32> {
        AsyncStream { continuation in
            let sources = [SIGINT, SIGTERM].map { number in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number)
                source.setEventHandler { continuation.yield(number) }
                source.resume()
                return source
            }
            let handles = SignalSources(sources)
            continuation.onTermination = { _ in handles.cancel() }
        }
    }
}

/// Keeps the dispatch sources alive while the stream is iterated, and cancels them after.
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

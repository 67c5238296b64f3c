import NIOConcurrencyHelpers
import WSEngine

/// The lines broadcast to one client of `--listen` (stdin lines, or lines typed in the REPL) that it has not
/// taken yet, sent in order by a task of the client's own, so that a client that reads nothing holds up only
/// itself.
///
/// The queue is bounded by ``limit`` bytes: a client that falls that far behind is too slow, and is closed
/// with 1008 (RFC 6455 section 7.4.1: policy violation) instead of being fed without end or stalling everyone.
final class ClientOutbox: Sendable {
    /// The most bytes of messages that may wait for one client.
    static let limit = 8 << 20

    /// The reason of the Close sent to a client whose queue overflowed.
    static let tooSlowReason = "too slow"

    private struct State {
        /// Bytes queued and not yet handed to the socket.
        var queuedBytes = 0
        /// The queue overflowed or the client is being closed: nothing more is queued or sent.
        var closed = false
        /// The Close to send once what is queued has gone out, without waiting for the socket any more.
        var closeAfterQueued: (code: CloseCode, reason: String)?
    }

    private let writer: SessionWriter
    private let state = NIOLockedValueBox(State())
    private let batches: AsyncStream<(commands: [SessionCommand], bytes: Int)>
    private let continuation: AsyncStream<(commands: [SessionCommand], bytes: Int)>.Continuation

    /// An outbox for the client that `writer` sends to; ``run(progress:)`` sends what is queued.
    init(writer: SessionWriter) {
        self.writer = writer
        (self.batches, self.continuation) = AsyncStream.makeStream()
    }

    /// Bytes waiting for this client; 0 once it is closed, so that it no longer holds the broadcast back.
    var queuedBytes: Int {
        self.state.withLockedValue { $0.closed ? 0 : $0.queuedBytes }
    }

    /// Queues `commands` for the client. Returns false, and closes the client with 1008, when that would put
    /// more than ``limit`` bytes in its queue.
    func enqueue(_ commands: [SessionCommand]) -> Bool {
        let bytes = commands.reduce(0) { $0 + $1.payloadBytes }
        let accepted = self.state.withLockedValue { state -> Bool? in
            guard !state.closed else { return nil }
            guard state.queuedBytes == 0 || state.queuedBytes + bytes <= Self.limit else {
                state.closed = true
                return false
            }
            state.queuedBytes += bytes
            return true
        }
        switch accepted {
        case .some(true):
            self.continuation.yield((commands, bytes))
            return true
        case .some(false):
            self.close(.policyViolation, reason: Self.tooSlowReason)
            return false
        case .none:
            return false
        }
    }

    /// Drops what is queued and starts the closing handshake with the client at once, without waiting for a
    /// socket it may never drain: the session's close timeout then bounds the wait for its answer.
    func close(_ code: CloseCode, reason: String) {
        self.state.withLockedValue { $0.closed = true }
        self.continuation.finish()
        self.writer.post(.close(code, reason: reason))
    }

    /// Closes the client after the lines already queued for it, which are handed to the socket without
    /// waiting (a client that keeps up has little queued); for a stopping server.
    func closeAfterQueued(_ code: CloseCode, reason: String) {
        self.state.withLockedValue { $0.closeAfterQueued = (code, reason) }
        self.continuation.finish()
    }

    /// Sends queued batches in order until the outbox is closed or the client goes away; `progress` is
    /// called after each batch has reached the socket.
    func run(progress: @Sendable () -> Void) async {
        defer {
            if let (code, reason) = self.state.withLockedValue({ $0.closed ? nil : $0.closeAfterQueued }) {
                self.writer.post(.close(code, reason: reason))
            }
        }
        for await batch in self.batches {
            let (closed, closing) = self.state.withLockedValue { ($0.closed, $0.closeAfterQueued != nil) }
            guard !closed else { break }
            guard !closing else {
                for command in batch.commands {
                    self.writer.post(command)
                }
                continue
            }
            do {
                try await self.writer.send(contentsOf: batch.commands)
            } catch {
                // The client is gone; its session reports why.
                self.state.withLockedValue { $0.closed = true }
            }
            self.state.withLockedValue { $0.queuedBytes -= batch.bytes }
            progress()
        }
    }

    /// Ends ``run(progress:)`` once the client's session is over.
    func finish() {
        self.state.withLockedValue { $0.closed = true }
        self.continuation.finish()
    }
}

extension SessionCommand {
    /// The bytes of a message or piece; 0 for control frames.
    fileprivate var payloadBytes: Int {
        switch self {
        case .text(let payload), .binary(let payload), .fragment(let payload, _, _, _): payload.readableBytes
        case .ping, .close: 0
        }
    }
}

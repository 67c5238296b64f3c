import NIOConcurrencyHelpers
import WSEngine

/// Carries work from the async side to the terminal thread: a queue under a lock, and a pipe the thread polls
/// so that it wakes when something is queued.
///
/// Session events wait (``deliver(_:)``) while the terminal is far behind, so that a peer flooding messages
/// is slowed down at the socket instead of filling memory.
final class TerminalMailbox: Sendable {
    /// Something for the terminal thread to show or act on.
    enum Item: Sendable {
        /// An event of the session, and when it arrived.
        case event(SessionEvent, LocalTime)
        /// `--listen`: a message or control frame from the client at this address, and when it arrived.
        case clientEvent(String, SessionEvent, LocalTime)
        /// `--listen`: a client connected, closed, or was refused.
        case listenEvent(ListenEvent, LocalTime)
        /// The session refused this request.
        case sendFailed(ReplRequest, String)
        /// The session's events ended without a closed event.
        case eventsEnded
        /// The session's events failed.
        case eventsFailed(any Error)
        /// The task running the front end was cancelled.
        case cancelled
        /// The process received this signal (Ctrl-C, a resize, back in the foreground, a request to stop).
        case signal(Int32)
    }

    private struct State {
        var items: [Item] = []
        var waiter: CheckedContinuation<Void, Never>?
        var isShutDown = false
    }

    /// How many queued items make ``deliver(_:)`` wait.
    static let highWaterMark = 256

    private let state = NIOLockedValueBox(State())
    private let pipe: WakePipe

    /// The descriptor the terminal thread polls.
    var wakeDescriptor: Int32 {
        self.pipe.readDescriptor
    }

    /// An empty mailbox.
    init() throws(SystemCallError) {
        self.pipe = try WakePipe()
    }

    /// Queues `item` and wakes the terminal thread. Items posted after ``shutDown()`` are dropped.
    func post(_ item: Item) {
        self.state.withLockedValue { state in
            guard !state.isShutDown else {
                return
            }
            state.items.append(item)
            if state.items.count == 1 {
                // The pipe is written under the lock so that shutDown() cannot close it in between.
                self.pipe.wake()
            }
        }
    }

    /// Whether a producer waits in ``deliver(_:)`` for the terminal to catch up.
    var hasWaitingProducer: Bool {
        self.state.withLockedValue { $0.waiter != nil }
    }

    /// Queues `item` once the terminal has caught up below the high-water mark.
    func deliver(_ item: Item) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let mustWait = self.state.withLockedValue { state in
                guard !state.isShutDown, state.items.count >= Self.highWaterMark else {
                    return false
                }
                state.waiter = continuation
                return true
            }
            if !mustWait {
                continuation.resume()
            }
        }
        self.post(item)
    }

    /// Everything queued, oldest first; a producer waiting in ``deliver(_:)`` goes on.
    func takeAll() -> [Item] {
        self.pipe.drain()
        let (items, waiter) = self.state.withLockedValue { state in
            defer {
                state.items = []
                state.waiter = nil
            }
            return (state.items, state.waiter)
        }
        waiter?.resume()
        return items
    }

    /// Drops what is queued, releases a waiting producer, and closes the pipe; later posts are dropped.
    func shutDown() {
        let waiter = self.state.withLockedValue { state in
            defer {
                state.waiter = nil
            }
            if !state.isShutDown {
                state.isShutDown = true
                state.items = []
                self.pipe.close()
            }
            return state.waiter
        }
        waiter?.resume()
    }
}

/// What the terminal thread asks of the async side, in the order the user typed it: a client sends to its
/// server, `--listen` to every connected client.
enum ReplRequest: Sendable {
    /// Send this command (in `--listen`, to every connected client).
    case send(SessionCommand)
    /// `/send`: send this file as one message, text (checked as UTF-8) or binary.
    case sendFile(String, asText: Bool)
    /// Leave: close the session with this code, or in `--listen` stop the server, which closes every client.
    case leave(CloseCode, reason: String)
}

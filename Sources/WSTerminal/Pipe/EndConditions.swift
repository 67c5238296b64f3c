import NIOConcurrencyHelpers
import NIOCore
import Synchronization
import WSEngine

#if canImport(Glibc)
    import Glibc
#endif

/// When a script's session is over before the peer closes it: after a number of messages (`--count`), at a
/// text message that matches (`--until`), or when messages stop coming (`--idle-timeout`). The first one met
/// ends the session; the front end then closes with 1000.
public struct EndConditions: Sendable {
    /// Received messages after which the session ends; later ones are not shown.
    public var messageLimit: Int?
    /// A text message that matches ends the session, once shown.
    public var pattern: MessagePattern?
    /// No message for this long ends the session (pings and pongs do not count).
    public var idleTimeout: Duration?

    /// Conditions; none by default, and then only the peer or the input ends the session.
    public init(messageLimit: Int? = nil, pattern: MessagePattern? = nil, idleTimeout: Duration? = nil) {
        self.messageLimit = messageLimit
        self.pattern = pattern
        self.idleTimeout = idleTimeout
    }

    /// Whether any condition is set.
    var isEmpty: Bool {
        self.messageLimit == nil && self.pattern == nil && self.idleTimeout == nil
    }
}

/// Which end condition ended a session.
public enum EarlyEnd: Sendable, Equatable {
    /// `--count` messages arrived.
    case messageLimit
    /// A text message matched `--until`.
    case match
    /// No message arrived for `--idle-timeout`.
    case idle(Duration)
}

/// The end conditions applied message by message, as a value: each received message is shown, shown as the
/// last, or dropped after the end; the silence of `--idle-timeout` ends it too, unless something else did.
struct EndConditionTracker: Sendable {
    /// What to do with a received message.
    enum Verdict: Equatable {
        case show
        /// Show it; the session is over with it.
        case showAndEnd
        /// The session already ended: not shown.
        case drop
    }

    let conditions: EndConditions
    private(set) var received = 0
    private(set) var ended: EarlyEnd?

    init(_ conditions: EndConditions) {
        self.conditions = conditions
    }

    /// A text (`isText`) or binary message with `payload` arrived.
    mutating func message(_ payload: ByteBuffer, isText: Bool) -> Verdict {
        guard self.ended == nil else {
            return .drop
        }
        self.received += 1
        if let limit = self.conditions.messageLimit, self.received >= limit {
            self.ended = .messageLimit
            return .showAndEnd
        }
        if isText, let pattern = self.conditions.pattern, pattern.matches(payload) {
            self.ended = .match
            return .showAndEnd
        }
        return .show
    }

    /// The idle timeout passed without a message; `false` when the session had already ended otherwise.
    mutating func idled() -> Bool {
        guard self.ended == nil, let timeout = self.conditions.idleTimeout else {
            return false
        }
        self.ended = .idle(timeout)
        return true
    }
}

/// What two tasks of a front end share about the end conditions: the tracker, and when the last message
/// came, which the idle watch and `-w`'s linger both wait on.
///
/// Every received message passes here, so the common case costs little: the time is one atomic store, and
/// the lock is taken only when there are conditions to track.
final class EndWatch: Sendable {
    private let conditions: EndConditions
    private let tracker: NIOLockedValueBox<EndConditionTracker>
    /// When the watch began; times are kept as nanoseconds since, in one atomic word.
    private let origin = ContinuousClock.now
    private let lastReceivedNanoseconds = Atomic<Int64>(0)

    init(_ conditions: EndConditions) {
        self.conditions = conditions
        self.tracker = NIOLockedValueBox(EndConditionTracker(conditions))
    }

    /// When the last message arrived (the session's start, before the first).
    var lastReceived: ContinuousClock.Instant {
        self.origin + .nanoseconds(self.lastReceivedNanoseconds.load(ordering: .relaxed))
    }

    /// Which condition ended the session, if one did.
    var ended: EarlyEnd? {
        self.tracker.withLockedValue { $0.ended }
    }

    /// Records the arrival of a message event (text or binary) and says what to do with it.
    func message(_ event: SessionEvent) -> EndConditionTracker.Verdict {
        switch event {
        case .text(let payload): self.message(payload, isText: true)
        case .binary(let payload): self.message(payload, isText: false)
        case .ping, .pong, .idle, .closed: .show
        }
    }

    /// Records a message's arrival and says what to do with it.
    private func message(_ payload: ByteBuffer, isText: Bool) -> EndConditionTracker.Verdict {
        let (seconds, attoseconds) = (ContinuousClock.now - self.origin).components
        self.lastReceivedNanoseconds.store(seconds * 1_000_000_000 + attoseconds / 1_000_000_000, ordering: .relaxed)
        guard !self.conditions.isEmpty else {
            return .show
        }
        return self.tracker.withLockedValue { $0.message(payload, isText: isText) }
    }

    /// With `--idle-timeout`: sleeps until no message has arrived for that long, then ends the session with a
    /// Close; returns at once without one, or when the session ended another way (then it is cancelled).
    func watchIdle(writer: SessionWriter) async throws {
        guard let timeout = self.conditions.idleTimeout else {
            return
        }
        while true {
            let deadline = self.lastReceived + timeout
            if deadline <= .now {
                if self.tracker.withLockedValue({ $0.idled() }) {
                    try await writer.send(.close(.normalClosure, reason: ""))
                }
                return
            }
            try await Task.sleep(until: deadline)
        }
    }
}

/// A POSIX extended regular expression (`--until`, as `grep -E`), compiled once by the C library's
/// `regcomp(3)`, matched against the bytes of text messages.
public final class MessagePattern: @unchecked Sendable {
    // @unchecked: the compiled expression is only read after init; glibc's regexec(3) may be called from
    // several threads on one expression.
    private var expression = regex_t()
    /// The expression as given.
    public let source: String

    /// Compiles `source`; throws the C library's explanation when it is not a valid expression.
    public init(_ source: String) throws(PatternError) {
        self.source = source
        let status = regcomp(&self.expression, source, REG_EXTENDED | REG_NOSUB)
        guard status == 0 else {
            var message = [CChar](repeating: 0, count: 256)
            regerror(status, &self.expression, &message, message.count)
            regfree(&self.expression)
            throw PatternError(reason: String(decoding: message.prefix { $0 != 0 }.map(UInt8.init), as: UTF8.self))
        }
    }

    deinit {
        regfree(&self.expression)
    }

    /// Whether the expression matches somewhere in `text`, which may hold NUL bytes.
    func matches(_ text: ByteBuffer) -> Bool {
        text.withUnsafeReadableBytes { bytes in
            guard let start = bytes.baseAddress?.assumingMemoryBound(to: CChar.self) else {
                return "".withCString { regexec(&self.expression, $0, 0, nil, 0) == 0 }
            }
            var range = regmatch_t(rm_so: 0, rm_eo: regoff_t(bytes.count))
            return regexec(&self.expression, start, 1, &range, REG_STARTEND) == 0
        }
    }

    /// Why an expression could not be compiled.
    public struct PatternError: Error, Sendable {
        /// `regerror(3)`'s words.
        public let reason: String
    }
}

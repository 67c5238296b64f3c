import WSEngine

/// When and how soon `--reconnect` connects again, as a value: each failure goes in, a decision comes out.
///
/// It connects again after what a later attempt can fix: a connection that was refused, timed out or dropped
/// (a reset, a hang-up without Close, silence after a ping), a Close the server sent with 1001 (going away),
/// 1006, 1011, 1012 (restarting), 1013 (try again later) or 1014, and a 429 or 503 answer to the upgrade. Never
/// after a close wsc started (the user's, or an end condition's), a protocol error, a TLS failure, or another
/// refusal: the same attempt would fail the same way.
///
/// The waits grow exponentially with full jitter (a random wait up to the bound, so that many clients do not
/// come back in step): the bound starts at half a second and doubles up to 30 s. A `Retry-After` replaces the
/// wait. A session that stayed open for ``steadyAfter`` starts the count again.
struct Reconnection: Sendable {
    /// The most attempts in a row (`--reconnect-max`); `nil` for no limit.
    let maxAttempts: Int?
    /// Attempts since the last session that stayed open long enough.
    private(set) var attempts = 0

    static let firstBound: Duration = .milliseconds(500)
    static let largestBound: Duration = .seconds(30)
    /// How long a session must have stayed open for the next failure to count as the first again.
    static let steadyAfter: Duration = .seconds(30)

    init(maxAttempts: Int?) {
        self.maxAttempts = maxAttempts
    }

    /// What a failure calls for.
    enum Decision: Equatable {
        /// Connect again after `delay`; this is attempt number `attempt` in a row.
        case retry(after: Duration, attempt: Int)
        /// Stop: the failure is final, or `--reconnect-max` attempts were made.
        case stop
    }

    /// What ended a connection, or kept it from opening.
    enum Failure {
        case connect(WebSocketClientError)
        /// The session ended after being open for `lasted`.
        case session(CloseReport, lasted: Duration)
    }

    /// Decides on `failure`; `random` gives a number in 0..<1 for the jitter.
    mutating func decide(_ failure: Failure, random: () -> Double) -> Decision {
        let retryAfter: Duration?
        switch failure {
        case .connect(let error):
            guard Self.isPassing(error) else { return .stop }
            retryAfter = error.retryAfter
        case .session(let report, let lasted):
            guard Self.isPassing(report) else { return .stop }
            if lasted >= Self.steadyAfter {
                self.attempts = 0
            }
            retryAfter = nil
        }
        if let maxAttempts = self.maxAttempts, self.attempts >= maxAttempts {
            return .stop
        }
        self.attempts += 1
        let bound = min(Self.firstBound * Int(1 << min(self.attempts - 1, 16)), Self.largestBound)
        let delay = retryAfter ?? bound * min(max(random(), 0), 1)
        return .retry(after: delay, attempt: self.attempts)
    }

    /// Whether a failure to connect may pass: not reaching the server, or a 429 or 503.
    static func isPassing(_ error: WebSocketClientError) -> Bool {
        switch error.category {
        case .connectionFailed: true
        case .handshakeRejected: error.status == 429 || error.status == 503
        case .tls: false
        }
    }

    /// Whether the end of a session may pass: the server went away, restarts, is overloaded, or the
    /// connection dropped; not a close wsc started, nor a protocol error.
    static func isPassing(_ report: CloseReport) -> Bool {
        // A close wsc started (the user's, or an end condition's) is not retried; a dropped connection, silence
        // after a ping included, is the peer's end: 1006.
        guard report.violation == nil, report.initiator == .remote else { return false }
        return [1001, 1006, 1011, 1012, 1013, 1014].contains(report.code.rawValue)
    }
}

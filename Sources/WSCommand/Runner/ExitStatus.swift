import WSEngine

/// wsc's exit codes, one per kind of outcome, so scripts can tell them apart. The README's table and the
/// manual list the same values.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// The session ran and closed normally (1000 or 1001, from either side).
    case success = 0
    /// Something failed that has no more specific code (an I/O error on stdin or stdout).
    case failure = 1
    /// The command line is wrong: unknown option, bad value, malformed URL.
    case usage = 2
    /// No connection: name resolution failed, the port refused, `--connect-timeout` passed, or the proxy gave no
    /// tunnel.
    case connectionFailed = 3
    /// The server did not accept the WebSocket upgrade (non-101 status, bad accept key, wrong subprotocol).
    case handshakeRejected = 4
    /// TLS could not be established or the server's certificate was not trusted, or a `--cacert`, `--cert` or
    /// `--key` file cannot be used (found before connecting).
    case tlsFailed = 5
    /// The server broke the WebSocket protocol; wsc closed with 1002, 1007 or 1009.
    case protocolError = 6
    /// The server closed with a code other than 1000/1001, or the connection was lost without a Close (a hang-up,
    /// a reset, a TLS error after the handshake).
    case abnormalClose = 7
    /// Input could not be sent as asked (a stdin line that is not UTF-8 in text mode).
    case inputError = 8
    /// `--max-time` passed before the run ended; wsc closed with 1000 (a server: 1001) first.
    case timedOut = 9
    /// `--idle-timeout` passed with no message received; wsc closed with 1000 first.
    case idle = 10
    /// `wsc bench`: a threshold was broken (`--max-p99`, `--max-errors`).
    case thresholdBroken = 11
    /// Interrupted by SIGINT (Ctrl-C), SIGTERM, SIGHUP or SIGQUIT, in the REPL by all but SIGINT (a key there) or
    /// the terminal going away; the connection was closed first (1000 for SIGINT, 1001 for the others).
    case interrupted = 130
}

extension ExitStatus {
    /// A session's end: 1000 and 1001 are success; a violation is the peer's protocol error; anything else is
    /// abnormal.
    init(_ close: CloseReport) {
        if close.violation != nil {
            self = .protocolError
        } else {
            self = close.isClean ? .success : .abnormalClose
        }
    }

    /// A connection that could not be opened.
    init(_ category: WebSocketClientError.Category) {
        switch category {
        case .connectionFailed: self = .connectionFailed
        case .handshakeRejected: self = .handshakeRejected
        case .tls: self = .tlsFailed
        }
    }
}

extension ExitStatus {
    /// A load test's connection that could not be opened, by the code of a single connection's failure.
    init(_ failure: BenchFailure) {
        switch failure {
        case .nameResolution, .refused, .timeout, .other: self = .connectionFailed
        case .tls: self = .tlsFailed
        case .status: self = .handshakeRejected
        }
    }
}

/// How a session ended, for the front end to print and the runner to turn into an exit code.
public struct CloseReport: Sendable, Equatable {
    /// Which side started the end of the connection.
    public enum Initiator: Sendable, Equatable {
        /// We sent the first Close frame (the user, end of input, or a protocol error we detected).
        case local
        /// The peer sent the first Close frame, or dropped the connection.
        case remote
    }

    /// Who started the close.
    public var initiator: Initiator
    /// The code of the Close frame that ended the session: the peer's when it started the close, ours
    /// otherwise. `1005` when a Close frame had no code, `1006` when no Close frame arrived at all.
    public var code: CloseCode
    /// The reason text of that Close frame, possibly empty.
    public var reason: String
    /// Set when the session ended because the peer broke the protocol (we sent 1002, 1007 or 1009).
    public var violation: ProtocolViolation?
    /// Set when we started the close and the peer never answered within the close timeout.
    public var peerDidNotAnswer: Bool
    /// Why the connection failed, when the transport said so (a TLS error, a reset), worded for the user;
    /// `nil` when it simply ended. Set with `initiator` `.remote` for a session that was open, and with
    /// `peerDidNotAnswer` when it failed while we waited for the answer to our Close.
    public var transportFailure: String?

    /// Creates a report; `violation`, `peerDidNotAnswer` and `transportFailure` default to a clean close.
    public init(
        initiator: Initiator,
        code: CloseCode,
        reason: String,
        violation: ProtocolViolation? = nil,
        peerDidNotAnswer: Bool = false,
        transportFailure: String? = nil
    ) {
        self.initiator = initiator
        self.code = code
        self.reason = reason
        self.violation = violation
        self.peerDidNotAnswer = peerDidNotAnswer
        self.transportFailure = transportFailure
    }

    /// Whether this is the end a script should treat as success: a close with 1000 or 1001 from either
    /// side, with no protocol violation.
    public var isClean: Bool {
        self.violation == nil && (self.code == .normalClosure || self.code == .goingAway)
    }
}

/// A rule of RFC 6455 that the peer broke, and the close code it earns.
public struct ProtocolViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// The code we close the connection with.
    public let closeCode: CloseCode
    /// What the peer did, in words a user understands.
    public let description: String

    /// Creates a violation answered with `closeCode`.
    public init(closeCode: CloseCode, _ description: String) {
        self.closeCode = closeCode
        self.description = description
    }
}

extension CloseReport {
    /// One line for the user: who closed, the code with its name, and the reason, for example
    /// `server closed the connection: 1001 (going away) "restarting"`.
    public var summary: String {
        self.summary(peer: SessionRole.client.peerName)
    }

    /// The same line with the peer named as `peer` ("server", or "client" for a `--listen` session).
    public func summary(peer: String) -> String {
        let reasonText = self.reason.isEmpty ? "" : " \"\(self.reason)\""
        if let violation = self.violation {
            return "protocol error: \(violation.description); wsc closed the connection with \(violation.closeCode)"
        }
        if self.initiator == .remote, let failure = self.transportFailure {
            return "connection to the \(peer) failed without a Close frame: \(self.code); \(failure)"
        }
        switch self.initiator {
        case .remote where self.code == .abnormalClosure:
            return "connection dropped by the \(peer) without a Close frame: \(self.code)"
        case .remote:
            return "\(peer) closed the connection: \(self.code)\(reasonText)"
        case .local where self.peerDidNotAnswer:
            if let failure = self.transportFailure {
                return "closed: \(self.code)\(reasonText); "
                    + "the connection failed before the \(peer) answered the Close: \(failure)"
            }
            return "closed: \(self.code)\(reasonText); the \(peer) did not answer the Close in time"
        case .local:
            return "closed: \(self.code)\(reasonText)"
        }
    }
}

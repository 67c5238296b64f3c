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
    /// The configured limit whose passing dropped the connection (the ping timeout), if one did.
    public var failedLimit: EngineLimit?

    /// Creates a report; `violation`, `peerDidNotAnswer` and `transportFailure` default to a clean close.
    public init(
        initiator: Initiator,
        code: CloseCode,
        reason: String,
        violation: ProtocolViolation? = nil,
        peerDidNotAnswer: Bool = false,
        transportFailure: String? = nil,
        failedLimit: EngineLimit? = nil
    ) {
        self.initiator = initiator
        self.code = code
        self.reason = reason
        self.violation = violation
        self.peerDidNotAnswer = peerDidNotAnswer
        self.transportFailure = transportFailure
        self.failedLimit = failedLimit
    }

    /// The configured limit that ended the session: a violation's, or the one that dropped it.
    public var limit: EngineLimit? {
        self.violation?.limit ?? self.failedLimit
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
    /// The configured limit the peer went past, if that is what it did.
    public let limit: EngineLimit?

    /// Creates a violation answered with `closeCode`; `limit` when it broke a configured limit rather than
    /// a rule of the protocol.
    public init(closeCode: CloseCode, _ description: String, limit: EngineLimit? = nil) {
        self.closeCode = closeCode
        self.description = description
        self.limit = limit
    }
}

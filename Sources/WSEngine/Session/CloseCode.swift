/// A WebSocket close status code (RFC 6455 section 7.4).
///
/// A struct rather than an enum so that codes a peer sends which we do not know by name (the registered
/// 3000-3999 range and private 4000-4999 range) still round-trip unchanged.
public struct CloseCode: Hashable, Sendable, CustomStringConvertible {
    /// The code as carried in the first two bytes of a Close frame's payload.
    public let rawValue: UInt16

    /// Wraps any 16-bit code; use ``isAllowedOnWire`` to check it may appear in a Close frame.
    public init(_ rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// 1000: the purpose of the connection has been fulfilled.
    public static let normalClosure = CloseCode(1000)
    /// 1001: the endpoint is going away (server shutting down, user leaving).
    public static let goingAway = CloseCode(1001)
    /// 1002: the endpoint received a frame that violates the protocol.
    public static let protocolError = CloseCode(1002)
    /// 1003: the endpoint received a type of data it cannot accept.
    public static let unsupportedData = CloseCode(1003)
    /// 1005: reserved; reports that a Close frame carried no code. Never sent on the wire.
    public static let noStatusReceived = CloseCode(1005)
    /// 1006: reserved; reports that the connection dropped without a Close frame. Never sent on the wire.
    public static let abnormalClosure = CloseCode(1006)
    /// 1007: a text message held data that is not UTF-8 (RFC 6455 section 8.1).
    public static let invalidPayloadData = CloseCode(1007)
    /// 1008: a message violated the endpoint's policy.
    public static let policyViolation = CloseCode(1008)
    /// 1009: a message was too big to process.
    public static let messageTooBig = CloseCode(1009)
    /// 1010: the client expected the server to negotiate an extension it did not.
    public static let mandatoryExtension = CloseCode(1010)
    /// 1011: the server met an unexpected condition.
    public static let internalServerError = CloseCode(1011)
    /// 1015: reserved; reports a TLS handshake failure. Never sent on the wire.
    public static let tlsHandshakeFailure = CloseCode(1015)

    /// Whether the code may be sent in a Close frame (RFC 6455 section 7.4.1 and 7.4.2, and the IANA
    /// registry, which added 1012-1014): 1000-1003, 1007-1014 and 3000-4999.
    public var isAllowedOnWire: Bool {
        switch self.rawValue {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }

    /// The registered name of the code, or a description of its range.
    public var name: String {
        switch self.rawValue {
        case 1000: "normal closure"
        case 1001: "going away"
        case 1002: "protocol error"
        case 1003: "unsupported data"
        case 1005: "no status received"
        case 1006: "abnormal closure"
        case 1007: "invalid payload data"
        case 1008: "policy violation"
        case 1009: "message too big"
        case 1010: "mandatory extension"
        case 1011: "internal server error"
        case 1012: "service restart"
        case 1013: "try again later"
        case 1014: "bad gateway"
        case 1015: "TLS handshake failure"
        case 3000...3999: "registered code"
        case 4000...4999: "private code"
        default: "unknown code"
        }
    }

    /// `1000 (normal closure)`.
    public var description: String {
        "\(self.rawValue) (\(self.name))"
    }
}

import CZlib

/// Why permessage-deflate could not be negotiated, or a message could not be compressed or decompressed.
///
/// A struct over a private enum so that new cases do not break callers who switch on it; compare against the
/// static members instead. Negotiation errors mean the client must fail the connection (RFC 7692 section 5);
/// ``limitExceeded`` maps to close code 1009 and ``corruptData(_:)`` to 1007 in the engine.
public struct PerMessageDeflateError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case malformedExtensionsHeader(String)
        case extensionNotOffered(String)
        case duplicateExtension
        case unknownParameter(String)
        case duplicateParameter(String)
        case invalidParameterValue(String, String?)
        case parameterNotOffered(String)
        case offeredParameterMissing(String)
        case windowBitsAboveOffer(String, Int, Int)
        case limitExceeded
        case corruptData(String)
        case zlibFailure(String, Int32)
    }

    private let kind: Kind

    private init(_ kind: Kind) {
        self.kind = kind
    }

    /// The `Sec-WebSocket-Extensions` value does not follow the grammar of RFC 6455 section 9.1.
    public static func malformedExtensionsHeader(_ reason: String) -> Self { Self(.malformedExtensionsHeader(reason)) }

    /// The server accepted an extension the client never offered (RFC 6455 section 9.1).
    public static func extensionNotOffered(_ name: String) -> Self { Self(.extensionNotOffered(name)) }

    /// The server's response contains permessage-deflate more than once.
    public static var duplicateExtension: Self { Self(.duplicateExtension) }

    /// A parameter that RFC 7692 section 7.1 does not define.
    public static func unknownParameter(_ name: String) -> Self { Self(.unknownParameter(name)) }

    /// The same parameter twice in one extension element (RFC 7692 section 5.1).
    public static func duplicateParameter(_ name: String) -> Self { Self(.duplicateParameter(name)) }

    /// A parameter with a value it may not have: a value on a flag, none on a window size, or a window size
    /// outside 8...15. `value` is nil when a required value is missing.
    public static func invalidParameterValue(_ name: String, _ value: String?) -> Self {
        Self(.invalidParameterValue(name, value))
    }

    /// The server's response contains a parameter that is only allowed when the client offered it
    /// (`client_max_window_bits`, RFC 7692 section 7.1.2.2).
    public static func parameterNotOffered(_ name: String) -> Self { Self(.parameterNotOffered(name)) }

    /// The server accepted the offer but left out a parameter it must confirm (`server_no_context_takeover`,
    /// `server_max_window_bits`; RFC 7692 sections 7.1.1.1 and 7.1.2.1).
    public static func offeredParameterMissing(_ name: String) -> Self { Self(.offeredParameterMissing(name)) }

    /// The server answered a window size parameter with a larger value than the offer allowed.
    public static func windowBitsAboveOffer(_ name: String, value: Int, offered: Int) -> Self {
        Self(.windowBitsAboveOffer(name, value, offered))
    }

    /// A compressed message inflates to more bytes than the caller's limit; decompression stopped there.
    public static var limitExceeded: Self { Self(.limitExceeded) }

    /// A compressed message is not valid DEFLATE data, or refers to history the decompressor does not have.
    /// `detail` is zlib's own explanation, such as "invalid distance too far back".
    public static func corruptData(_ detail: String) -> Self { Self(.corruptData(detail)) }

    /// zlib failed in a way that is not the data's fault, for example running out of memory.
    public static func zlibFailure(_ operation: String, code: Int32) -> Self { Self(.zlibFailure(operation, code)) }

    /// Whether the peer's data is at fault (``corruptData(_:)``), rather than our limit or zlib itself: the
    /// engine answers it with 1007, like any payload that does not match its message type.
    public var isCorruptData: Bool {
        switch self.kind {
        case .corruptData: true
        case .malformedExtensionsHeader, .extensionNotOffered, .duplicateExtension, .unknownParameter,
            .duplicateParameter, .invalidParameterValue, .parameterNotOffered, .offeredParameterMissing,
            .windowBitsAboveOffer, .limitExceeded, .zlibFailure:
            false
        }
    }

    /// One line saying what happened, for the user.
    public var description: String {
        switch self.kind {
        case .malformedExtensionsHeader(let reason):
            "malformed Sec-WebSocket-Extensions header: \(reason)"
        case .extensionNotOffered(let name):
            "server accepted extension '\(name)', which was not offered"
        case .duplicateExtension:
            "server accepted permessage-deflate more than once"
        case .unknownParameter(let name):
            "permessage-deflate has unknown parameter '\(name)'"
        case .duplicateParameter(let name):
            "permessage-deflate has parameter '\(name)' more than once"
        case .invalidParameterValue(let name, let value?):
            "permessage-deflate parameter '\(name)' has invalid value '\(value)'"
        case .invalidParameterValue(let name, nil):
            "permessage-deflate parameter '\(name)' is missing its value"
        case .parameterNotOffered(let name):
            "server sent permessage-deflate parameter '\(name)', which was not offered"
        case .offeredParameterMissing(let name):
            "server accepted permessage-deflate without the offered parameter '\(name)'"
        case .windowBitsAboveOffer(let name, let value, let offered):
            "server chose \(name)=\(value), larger than the offered \(offered)"
        case .limitExceeded:
            "compressed message is larger than the message size limit once decompressed"
        case .corruptData(let detail):
            "compressed message is corrupt: \(detail)"
        case .zlibFailure(let operation, let code):
            "zlib \(operation) failed with code \(code)\(code == Z_MEM_ERROR ? " (out of memory)" : "")"
        }
    }
}

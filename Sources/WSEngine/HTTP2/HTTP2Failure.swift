import NIOHTTP2

/// Why a WebSocket over HTTP/2 (RFC 8441) could not open, or ended without its closing handshake: what the
/// server did, in the terms of RFC 9113, with its error code by name.
public struct HTTP2Failure: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Kind: Sendable, Equatable {
        case applicationProtocol(selected: String?)
        case connectProtocolNotEnabled
        case closedBeforeSettings
        case goAway(code: Int, debug: String)
        case reset(code: Int)
        case unexpectedFrame(String)
    }

    private let kind: Kind

    /// The TLS handshake ended without ALPN selecting `h2` (RFC 9113 section 3.2): `selected` is what it chose.
    static func applicationProtocol(selected: String?) -> Self {
        Self(kind: .applicationProtocol(selected: selected))
    }

    /// The server's SETTINGS lack `SETTINGS_ENABLE_CONNECT_PROTOCOL = 1` (RFC 8441 section 3).
    static let connectProtocolNotEnabled = Self(kind: .connectProtocolNotEnabled)

    /// The connection ended before the server's first SETTINGS frame.
    static let closedBeforeSettings = Self(kind: .closedBeforeSettings)

    /// The server sent GOAWAY (RFC 9113 section 6.8), with its debug data as text.
    static func goAway(_ code: HTTP2ErrorCode, debug: String = "") -> Self {
        Self(kind: .goAway(code: code.networkCode, debug: debug))
    }

    /// The server reset the stream (RST_STREAM, RFC 9113 section 6.4).
    static func reset(_ code: HTTP2ErrorCode) -> Self {
        Self(kind: .reset(code: code.networkCode))
    }

    /// A frame the stream may not carry where it came, such as DATA before the response's HEADERS.
    static func unexpectedFrame(_ what: String) -> Self {
        Self(kind: .unexpectedFrame(what))
    }

    public var description: String {
        switch self.kind {
        case .applicationProtocol(let selected?):
            "server chose \(selected) in the TLS handshake (ALPN), not HTTP/2 (h2)"
        case .applicationProtocol(nil):
            "server did not agree to HTTP/2 in the TLS handshake (ALPN selected no protocol, not h2)"
        case .connectProtocolNotEnabled:
            "server's HTTP/2 SETTINGS do not include SETTINGS_ENABLE_CONNECT_PROTOCOL = 1: it does not accept "
                + "WebSockets over HTTP/2 (RFC 8441)"
        case .closedBeforeSettings:
            "server closed the connection before sending its HTTP/2 SETTINGS: is it an HTTP/2 server?"
        case .goAway(let code, let debug):
            "server ended the HTTP/2 connection: GOAWAY \(Self.name(code))" + (debug.isEmpty ? "" : " (\(debug))")
        case .reset(let code):
            "server reset the HTTP/2 stream: RST_STREAM \(Self.name(code))"
        case .unexpectedFrame(let what):
            "server sent \(what) on the WebSocket's HTTP/2 stream"
        }
    }

    /// An error code's name and number (RFC 9113 section 7), such as `CANCEL (0x8)`.
    static func name(_ code: Int) -> String {
        let names = [
            "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT",
            "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR",
            "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
        ]
        let number = "0x" + String(code, radix: 16)
        return names.indices.contains(code) ? "\(names[code]) (\(number))" : "error code \(number)"
    }
}

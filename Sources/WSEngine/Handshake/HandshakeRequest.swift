import NIOHTTP1

/// The upgrade request's head, before NIO's upgrader adds `Connection`, `Upgrade` and the
/// `Sec-WebSocket-*` fields (RFC 6455 section 4.1).
public enum HandshakeRequest {
    /// What a header of the user's own (`ClientConfiguration.headers`) does to the request.
    public enum UserHeaderRule: Sendable, Equatable {
        /// Not one of wsc's: sent as given, as often as given.
        case added
        /// Replaces wsc's own field of that name (`Host`, `User-Agent`, `Origin`, `Authorization`, and
        /// `Sec-WebSocket-Extensions` when no offer is made); two of them would be two values for one field.
        case replacesDefault
        /// Cannot be sent: it would break the handshake, for the reason given.
        case refused(Refusal)
    }

    /// Why a user's header cannot be sent.
    public enum Refusal: Sendable, Equatable {
        /// `Upgrade`, `Connection`, `Sec-WebSocket-Key` or `Sec-WebSocket-Version`: the handshake's own
        /// fields, which the upgrade and the check of the server's answer depend on.
        case handshakeField
        /// `Sec-WebSocket-Protocol`: the offered subprotocols are what the server's choice is checked against.
        case subprotocols
        /// `Sec-WebSocket-Extensions` beside wsc's permessage-deflate offer, which the answer is checked against.
        case compressionOffer
        /// `Content-Length` or `Transfer-Encoding`: the request has no body, and the server would read the
        /// first frames as one.
        case body
        /// Over HTTP/2, `Keep-Alive`, `Proxy-Connection` or `TE`: fields of one HTTP/1.1 connection, which
        /// make an HTTP/2 request malformed (RFC 9113 section 8.2.2).
        case connectionSpecific
    }

    /// wsc's `User-Agent`, so server logs can tell it apart.
    static let userAgent = "wsc/\(WSCVersion.current)"

    /// What a user's header named `name` (in any case) does, when wsc does (or does not) offer compression,
    /// in a handshake over `handshakeProtocol`.
    public static func rule(
        forUserHeader name: String,
        offersCompression: Bool,
        over handshakeProtocol: HandshakeProtocol
    ) -> UserHeaderRule {
        switch name.lowercased() {
        case "keep-alive", "proxy-connection", "te":
            handshakeProtocol == .http2 ? .refused(.connectionSpecific) : .added
        case "upgrade", "connection", "sec-websocket-key", "sec-websocket-version":
            .refused(.handshakeField)
        case "sec-websocket-protocol":
            .refused(.subprotocols)
        case "sec-websocket-extensions":
            offersCompression ? .refused(.compressionOffer) : .replacesDefault
        case "content-length", "transfer-encoding":
            .refused(.body)
        case "host", "user-agent", "origin", "authorization":
            .replacesDefault
        default:
            .added
        }
    }

    /// The head for `configuration`: the request target and ``fields(for:)``.
    static func head(for configuration: ClientConfiguration) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        for field in Self.fields(for: configuration) {
            headers.add(name: field.name, value: field.value)
        }
        return HTTPRequestHead(version: .http1_1, method: .GET, uri: configuration.url.requestTarget, headers: headers)
    }

    /// The fields for `configuration`, the same over HTTP/1.1 and HTTP/2: `Host`, then `User-Agent`, `Origin`,
    /// `Sec-WebSocket-Protocol`, `Sec-WebSocket-Extensions` and `Authorization` as configured, then the user's
    /// own headers, which replace any of ours they name.
    static func fields(for configuration: ClientConfiguration) -> [HeaderField] {
        var fields = [HeaderField(name: "Host", value: configuration.url.hostHeader)]
        fields.append(HeaderField(name: "User-Agent", value: Self.userAgent))
        if let origin = configuration.origin {
            fields.append(HeaderField(name: "Origin", value: origin))
        }
        if !configuration.subprotocols.isEmpty {
            fields.append(
                HeaderField(name: "Sec-WebSocket-Protocol", value: configuration.subprotocols.joined(separator: ", "))
            )
        }
        if let offer = configuration.sentCompressionOffer {
            fields.append(HeaderField(name: "Sec-WebSocket-Extensions", value: offer.headerValue))
        }
        if let credentials = configuration.basicAuth ?? configuration.url.credentials {
            fields.append(HeaderField(name: "Authorization", value: credentials.authorizationValue))
        }
        let userNames = Set(configuration.headers.map { $0.name.lowercased() })
        fields.removeAll { userNames.contains($0.name.lowercased()) }
        fields += configuration.headers
        return fields
    }
}

/// One HTTP header line, kept in the order the user gave it.
public struct HeaderField: Sendable, Equatable {
    /// The field name, as typed.
    public var name: String
    /// The field value, without surrounding white space.
    public var value: String

    /// Creates a field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

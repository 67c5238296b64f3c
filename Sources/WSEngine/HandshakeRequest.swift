import NIOHTTP1

/// The upgrade request's head, before NIO's upgrader adds `Connection`, `Upgrade` and the
/// `Sec-WebSocket-*` fields (RFC 6455 section 4.1).
enum HandshakeRequest {
    /// wsc's `User-Agent`, so server logs can tell it apart.
    static let userAgent = "wsc/\(WSCVersion.current)"

    /// The head for `configuration`: `Host`, then `User-Agent`, `Origin`, `Sec-WebSocket-Protocol` and
    /// `Authorization` as configured, then the user's own headers, which replace any of ours they name.
    static func head(for configuration: ClientConfiguration) -> HTTPRequestHead {
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
        if let credentials = configuration.basicAuth ?? configuration.url.credentials {
            fields.append(HeaderField(name: "Authorization", value: credentials.authorizationValue))
        }
        let userNames = Set(configuration.headers.map { $0.name.lowercased() })
        fields.removeAll { userNames.contains($0.name.lowercased()) }
        fields += configuration.headers

        var headers = HTTPHeaders()
        for field in fields {
            headers.add(name: field.name, value: field.value)
        }
        return HTTPRequestHead(version: .http1_1, method: .GET, uri: configuration.url.requestTarget, headers: headers)
    }
}

import NIOHTTP1

/// The request that opens a WebSocket on an HTTP/2 stream, an extended CONNECT (RFC 8441 section 4), and
/// the check of the server's answer (section 5). What the HTTP/1.1 request says in `Host`, `Upgrade` and
/// `Sec-WebSocket-Key` is said here by `:authority` and `:protocol`; a 2xx takes the place of the 101.
struct ExtendedConnect {
    let configuration: ClientConfiguration

    /// How the server answered.
    enum Answer: Equatable {
        /// A 2xx: the stream carries the session.
        case accepted(HandshakeInfo)
        /// A 1xx: an interim answer; the final one follows.
        case interim
        /// Any other status: the server refused.
        case refused(Refusal)
    }

    /// The header block in order: the pseudo-header fields (`:method`, `:protocol`, `:scheme`, `:path`,
    /// `:authority`), `sec-websocket-version`, then the fields the HTTP/1.1 request would carry but `Host`,
    /// whose value (the user's, if given) becomes `:authority`; every name in lower case (RFC 9113 section
    /// 8.2.1).
    var request: [HeaderField] {
        let url = self.configuration.url
        var authority = url.hostHeader
        var fields: [HeaderField] = []
        for field in HandshakeRequest.fields(for: self.configuration) {
            if field.name.lowercased() == "host" {
                authority = field.value
            } else {
                fields.append(HeaderField(name: field.name.lowercased(), value: field.value))
            }
        }
        let pseudo = [
            HeaderField(name: ":method", value: "CONNECT"),
            HeaderField(name: ":protocol", value: "websocket"),
            HeaderField(name: ":scheme", value: url.isSecure ? "https" : "http"),
            HeaderField(name: ":path", value: url.requestTarget),
            HeaderField(name: ":authority", value: authority),
            HeaderField(name: "sec-websocket-version", value: "13"),
        ]
        return pseudo + fields
    }

    /// Checks the response's header block, sent in answer to ``request``.
    func check(response: [HeaderField]) throws(WebSocketClientError) -> Answer {
        let statusText = response.first { $0.name == ":status" }?.value ?? ""
        guard statusText.utf8.count == 3, let status = Int(statusText), (100...599).contains(status) else {
            throw .handshakeRejected("server's answer to the extended CONNECT has no valid :status ('\(statusText)')")
        }
        let fields = response.filter { !$0.name.hasPrefix(":") }
        var headers = HTTPHeaders()
        for field in fields {
            headers.add(name: field.name, value: field.value)
        }
        let head = HTTPResponseHead(version: .http2, status: HTTPResponseStatus(statusCode: status), headers: headers)
        let statusLine = "HTTP/2 \(status)"
        switch status {
        case 101:
            // HTTP/2 has no upgrade (RFC 9113 section 8.6): a 101 is not a valid answer.
            throw .handshakeRejected("server answered the extended CONNECT with 101, which HTTP/2 does not allow")
        case 100..<200:
            return .interim
        case 200..<300:
            let (subprotocol, compression) = try HandshakeValidation.negotiated(
                subprotocol: headers.first(name: "sec-websocket-protocol"),
                extensions: headers["sec-websocket-extensions"],
                offeredSubprotocols: self.configuration.subprotocols,
                offeredCompression: self.configuration.sentCompressionOffer
            )
            let request = self.request
            var info = HandshakeInfo(
                requestLine: "CONNECT \(self.configuration.url.requestTarget) HTTP/2",
                requestHeaders: request,
                statusLine: statusLine,
                responseHeaders: fields,
                subprotocol: subprotocol,
                compression: compression
            )
            info.handshakeProtocol = .http2
            return .accepted(info)
        default:
            return .refused(
                Refusal(
                    statusLine: statusLine,
                    status: status,
                    details: fields.map { "\($0.name): \($0.value)" },
                    // No redirect is followed over HTTP/2; the Location stays among the details.
                    location: nil,
                    retryAfter: HandshakeValidation.retryAfter(head)
                )
            )
        }
    }
}

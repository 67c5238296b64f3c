import NIOHTTP1
import WSDeflate

#if canImport(Glibc)
    import Glibc
#endif

/// Checks a 101 response beyond what NIO's upgrader checks (`Upgrade: websocket` and `Sec-WebSocket-Accept`),
/// and records the handshake for the front ends.
enum HandshakeValidation {
    /// Fails the handshake when the 101 is not HTTP/1.1 or lacks `Connection: Upgrade` (RFC 6455 section 4.1,
    /// items 1 and 3 of the client's checks), or when the server selected a subprotocol we did not offer, or an
    /// extension or extension parameters we did not offer (items 5 and 6; RFC 7692 section 5); returns the
    /// handshake record with what was negotiated.
    static func check(
        request: HTTPRequestHead?,
        response: HTTPResponseHead,
        offeredSubprotocols: [String],
        offeredCompression: PerMessageDeflateOffer? = nil
    ) throws(WebSocketClientError) -> HandshakeInfo {
        // HTTP/1.0 has no 1xx status codes (RFC 9110 section 15.2): such a server cannot have switched.
        guard response.version.major == 1, response.version.minor >= 1 else {
            throw .handshakeRejected(
                "server answered '\(Self.statusLine(response))': a WebSocket upgrade needs HTTP/1.1 (RFC 6455 4.1)"
            )
        }
        // A list of tokens, compared without case (RFC 9110 section 7.6.1).
        let connection = response.headers[canonicalForm: "connection"]
        guard connection.contains(where: { $0.lowercased() == "upgrade" }) else {
            let found =
                connection.isEmpty ? "no Connection header" : "'Connection: \(connection.joined(separator: ", "))'"
            throw .handshakeRejected(
                "server's 101 response has \(found), not 'Connection: Upgrade' (RFC 6455 4.1): is it a WebSocket server?"
            )
        }
        let (selected, compression) = try Self.negotiated(
            subprotocol: response.headers.first(name: "Sec-WebSocket-Protocol"),
            extensions: response.headers["Sec-WebSocket-Extensions"],
            offeredSubprotocols: offeredSubprotocols,
            offeredCompression: offeredCompression
        )
        return HandshakeInfo(
            requestLine: request.map { "\($0.method.rawValue) \($0.uri) HTTP/1.1" } ?? "",
            requestHeaders: request.map { Self.fields($0.headers) } ?? [],
            statusLine: Self.statusLine(response),
            responseHeaders: Self.fields(response.headers),
            subprotocol: selected,
            compression: compression
        )
    }

    /// What the server chose of wsc's offer (RFC 6455 section 4.1, items 5 and 6; RFC 7692 section 5): the
    /// subprotocol it selected, which must be one offered, and the permessage-deflate parameters agreed; fails
    /// for an extension that was not offered. The same check for a 101 and for an extended CONNECT's 2xx.
    static func negotiated(
        subprotocol selected: String?,
        extensions: [String],
        offeredSubprotocols: [String],
        offeredCompression: PerMessageDeflateOffer?
    ) throws(WebSocketClientError) -> (subprotocol: String?, compression: PerMessageDeflateParameters?) {
        if let selected, !offeredSubprotocols.contains(selected) {
            let offered =
                offeredSubprotocols.isEmpty
                ? "none was offered" : "offered: \(offeredSubprotocols.joined(separator: ", "))"
            throw .handshakeRejected("server selected subprotocol '\(selected)', which wsc did not offer (\(offered))")
        }
        guard let offer = offeredCompression else {
            if let accepted = extensions.first {
                throw .handshakeRejected("server accepted extension '\(accepted)', which wsc did not offer")
            }
            return (selected, nil)
        }
        do {
            return (selected, try offer.negotiate(response: extensions.joined(separator: ",")))
        } catch {
            throw .handshakeRejected("\(error) (wsc offered '\(offer.headerValue)')")
        }
    }

    /// `HTTP/1.1 403 Forbidden`.
    static func statusLine(_ head: HTTPResponseHead) -> String {
        "HTTP/\(head.version.major).\(head.version.minor) \(head.status.code) \(head.status.reasonPhrase)"
    }

    /// Where a redirect (301, 302, 303, 307, 308) sends the client: its `Location`, if it has one.
    static func redirectLocation(_ head: HTTPResponseHead) -> String? {
        guard [301, 302, 303, 307, 308].contains(head.status.code) else {
            return nil
        }
        return head.headers.first(name: "Location")
    }

    /// How long a 429 or 503 answer asks the client to wait (`Retry-After`, RFC 9110 section 10.2.3): a
    /// number of seconds, or an HTTP date, counted from now; `nil` for other answers or an unreadable value.
    static func retryAfter(_ head: HTTPResponseHead, now: time_t = time(nil)) -> Duration? {
        guard [429, 503].contains(head.status.code), let value = head.headers.first(name: "Retry-After") else {
            return nil
        }
        let text = String(value.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
        if let seconds = Int64(text), seconds >= 0 {
            return .seconds(min(seconds, 24 * 60 * 60))
        }
        // IMF-fixdate, the one form a sender may use (RFC 9110 section 5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT".
        let words = text.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let clock = words.count == 6 ? words[4].split(separator: ":").compactMap { Int32($0) } : []
        guard words.count == 6, words[5] == "GMT", let day = Int32(words[1]), let year = Int32(words[3]),
            let month = months.firstIndex(of: String(words[2])), clock.count == 3
        else {
            return nil
        }
        var parts = tm()
        (parts.tm_year, parts.tm_mon, parts.tm_mday) = (year - 1900, Int32(month), day)
        (parts.tm_hour, parts.tm_min, parts.tm_sec) = (clock[0], clock[1], clock[2])
        return .seconds(Int64(min(max(0, timegm(&parts) - now), 24 * 60 * 60)))
    }

    /// The header lines in order.
    static func fields(_ headers: HTTPHeaders) -> [HeaderField] {
        headers.map { HeaderField(name: $0.name, value: $0.value) }
    }
}

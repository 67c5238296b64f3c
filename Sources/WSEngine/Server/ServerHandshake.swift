import NIOHTTP1
import WSDeflate

/// What a server answers to a client's opening handshake beyond what NIO's upgrader checks (key and
/// version): the subprotocol and the extensions (RFC 6455 section 4.2.2, RFC 7692 section 5).
///
/// A pure function of the request, so the headers of the 101 response and the session that follows it are
/// decided from the same input and cannot disagree.
struct ServerHandshake: Equatable {
    /// The subprotocol selected, if any.
    var subprotocol: String?
    /// The permessage-deflate parameters accepted, if any.
    var compression: PerMessageDeflateParameters?

    /// Decides for `request` under `configuration`.
    init(request: HTTPRequestHead, configuration: ServerConfiguration) {
        let offered = request.headers["Sec-WebSocket-Protocol"].flatMap { $0.split(separator: ",") }.map {
            String($0.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
        }
        self.subprotocol = offered.first { configuration.subprotocols.contains($0) }
        let extensions = request.headers["Sec-WebSocket-Extensions"]
        self.compression =
            configuration.session.compression && !extensions.isEmpty
            ? PerMessageDeflateParameters.accepting(offers: extensions.joined(separator: ",")) : nil
    }

    /// The headers our 101 response adds to those NIO's upgrader writes.
    var responseHeaders: HTTPHeaders {
        var headers = HTTPHeaders()
        if let subprotocol = self.subprotocol {
            headers.add(name: "Sec-WebSocket-Protocol", value: subprotocol)
        }
        if let compression = self.compression {
            headers.add(name: "Sec-WebSocket-Extensions", value: compression.responseHeaderValue)
        }
        return headers
    }

    /// The record of the handshake for the front ends and a verbose report: the client's request and our answer.
    func info(request: HTTPRequestHead) -> HandshakeInfo {
        HandshakeInfo(
            requestLine:
                "\(request.method.rawValue) \(request.uri) HTTP/\(request.version.major).\(request.version.minor)",
            requestHeaders: HandshakeValidation.fields(request.headers),
            statusLine: "HTTP/1.1 101 Switching Protocols",
            responseHeaders: HandshakeValidation.fields(self.responseHeaders),
            subprotocol: self.subprotocol,
            compression: self.compression
        )
    }
}

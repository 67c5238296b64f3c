import NIOHTTP1
import WSDeflate
import XCTest

@testable import WSEngine

/// The server's answer to an opening handshake (RFC 6455 section 4.2.2, RFC 7692 section 5).
final class ServerHandshakeTests: XCTestCase {
    private func request(_ headers: [(String, String)]) -> HTTPRequestHead {
        HTTPRequestHead(version: .http1_1, method: .GET, uri: "/chat", headers: HTTPHeaders(headers))
    }

    func testSubprotocolIsTheFirstTheClientListsThatTheServerSpeaks() {
        let configuration = ServerConfiguration(host: "127.0.0.1", port: 0, subprotocols: ["b", "c"])
        let cases: [([(String, String)], String?)] = [
            ([("Sec-WebSocket-Protocol", "a, c,b")], "c"),
            ([("Sec-WebSocket-Protocol", "a"), ("Sec-WebSocket-Protocol", " b ")], "b"),
            ([("Sec-WebSocket-Protocol", "x, y")], nil),
            ([], nil),
        ]
        for (headers, selected) in cases {
            let handshake = ServerHandshake(request: self.request(headers), configuration: configuration)
            XCTAssertEqual(handshake.subprotocol, selected, "\(headers)")
            XCTAssertEqual(handshake.responseHeaders["Sec-WebSocket-Protocol"], selected.map { [$0] } ?? [])
        }
    }

    func testCompressionIsAcceptedWithTheOfferedParameters() {
        let offer = [("Sec-WebSocket-Extensions", "x-unknown, permessage-deflate; client_max_window_bits=10")]
        let accepting = ServerConfiguration(host: "127.0.0.1", port: 0)
        let handshake = ServerHandshake(request: self.request(offer), configuration: accepting)
        XCTAssertEqual(handshake.compression, PerMessageDeflateParameters(clientMaxWindowBits: 10))
        XCTAssertEqual(
            handshake.responseHeaders["Sec-WebSocket-Extensions"],
            ["permessage-deflate; client_max_window_bits=10"]
        )
        let info = handshake.info(request: self.request(offer))
        XCTAssertEqual(info.requestLine, "GET /chat HTTP/1.1")
        XCTAssertEqual(info.compression, handshake.compression)
    }

    func testCompressionIsDeclinedWhenOffOrNotOffered() {
        let offer = [("Sec-WebSocket-Extensions", "permessage-deflate")]
        let declining = ServerConfiguration(
            host: "127.0.0.1",
            port: 0,
            session: SessionConfiguration(role: .server, compression: false)
        )
        XCTAssertNil(ServerHandshake(request: self.request(offer), configuration: declining).compression)
        let accepting = ServerConfiguration(host: "127.0.0.1", port: 0)
        let plain = ServerHandshake(request: self.request([]), configuration: accepting)
        XCTAssertNil(plain.compression)
        XCTAssertTrue(plain.responseHeaders.isEmpty)
    }
}

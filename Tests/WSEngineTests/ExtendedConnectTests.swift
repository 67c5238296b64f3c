import NIOHTTP2
import WSDeflate
import XCTest

@testable import WSEngine

/// The extended CONNECT that opens a WebSocket on an HTTP/2 stream, and the check of its answer (RFC 8441
/// sections 4 and 5).
final class ExtendedConnectTests: XCTestCase {
    private func connect(_ url: String, _ change: (inout ClientConfiguration) -> Void = { _ in }) throws
        -> ExtendedConnect
    {
        var configuration = ClientConfiguration(url: try WebSocketURL(parsing: url), handshakeProtocol: .http2)
        change(&configuration)
        return ExtendedConnect(configuration: configuration)
    }

    private func fields(_ pairs: [(String, String)]) -> [HeaderField] {
        pairs.map { HeaderField(name: $0.0, value: $0.1) }
    }

    func testTheRequestHasThePseudoHeadersFirstThenTheHTTP1FieldsInLowerCase() throws {
        let connect = try self.connect("wss://example.com:8443/chat?room=1") {
            $0.subprotocols = ["v2", "v1"]
            $0.origin = "https://app.example"
            $0.headers = [HeaderField(name: "X-Trace", value: "7")]
            $0.basicAuth = BasicCredentials(userColonPassword: "ann:pw")
        }
        XCTAssertEqual(
            connect.request,
            self.fields([
                (":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "https"), (":path", "/chat?room=1"),
                (":authority", "example.com:8443"), ("sec-websocket-version", "13"),
                ("user-agent", HandshakeRequest.userAgent), ("origin", "https://app.example"),
                ("sec-websocket-protocol", "v2, v1"),
                ("sec-websocket-extensions", PerMessageDeflateOffer.standard.headerValue),
                ("authorization", "Basic YW5uOnB3"), ("x-trace", "7"),
            ])
        )
    }

    func testAUserHostHeaderBecomesTheAuthorityAndCleartextIsHTTP() throws {
        let connect = try self.connect("ws://127.0.0.1:8080/") {
            $0.headers = [HeaderField(name: "Host", value: "api.example")]
            $0.session.compression = false
        }
        XCTAssertEqual(
            Array(connect.request.prefix(5)).map(\.value),
            ["CONNECT", "websocket", "http", "/", "api.example"]
        )
        XCTAssertFalse(connect.request.contains { $0.name == "host" })
    }

    func testA2xxOpensTheSessionWithWhatWasNegotiated() throws {
        let connect = try self.connect("wss://example.com/") { $0.subprotocols = ["chat"] }
        let answer = try connect.check(
            response: self.fields([
                (":status", "200"), ("sec-websocket-protocol", "chat"),
                ("sec-websocket-extensions", "permessage-deflate"),
            ])
        )
        guard case .accepted(let info) = answer else {
            return XCTFail("\(answer)")
        }
        XCTAssertEqual(info.handshakeProtocol, .http2)
        XCTAssertEqual(info.requestLine, "CONNECT / HTTP/2")
        XCTAssertEqual(info.statusLine, "HTTP/2 200")
        XCTAssertEqual(info.subprotocol, "chat")
        XCTAssertEqual(info.compression, PerMessageDeflateParameters())
        XCTAssertEqual(info.responseHeaders.map(\.name), ["sec-websocket-protocol", "sec-websocket-extensions"])
    }

    func testOtherAnswers() throws {
        let connect = try self.connect("wss://example.com/")
        XCTAssertEqual(try connect.check(response: self.fields([(":status", "100")])), .interim)
        guard case .refused(let refusal) = try connect.check(response: self.fields([(":status", "404"), ("x", "y")]))
        else {
            return XCTFail("a 404 is a refusal")
        }
        XCTAssertEqual(refusal.statusLine, "HTTP/2 404")
        XCTAssertEqual(refusal.details, ["x: y"])
        guard
            case .refused(let redirect) = try connect.check(
                response: self.fields([(":status", "302"), ("location", "/elsewhere")])
            )
        else {
            return XCTFail("a 302 is a refusal")
        }
        XCTAssertNil(redirect.location, "no redirect is followed over HTTP/2")
        XCTAssertEqual(redirect.details, ["location: /elsewhere"])
        for (response, reason) in [
            ([(":status", "101")], "101, which HTTP/2 does not allow"),
            ([(":status", "2000")], "no valid :status"),
            ([], "no valid :status"),
            ([(":status", "200"), ("sec-websocket-protocol", "chat")], "which wsc did not offer"),
        ] {
            XCTAssertThrowsError(try connect.check(response: self.fields(response))) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(response): \(error)")
            }
        }
    }

    func testTheErrorCodesAreNamed() {
        XCTAssertEqual(
            HTTP2Failure.reset(.cancel).description,
            "server reset the HTTP/2 stream: RST_STREAM CANCEL (0x8)"
        )
        XCTAssertEqual(
            HTTP2Failure.goAway(.init(networkCode: 0xd), debug: "bye").description,
            "server ended the HTTP/2 connection: GOAWAY HTTP_1_1_REQUIRED (0xd) (bye)"
        )
        XCTAssertEqual(HTTP2Failure.name(0x42), "error code 0x42")
    }
}

import NIOCore
import XCTest

@testable import WSEngine

final class SmallTypesTests: XCTestCase {
    func testBase64VectorsFromRFC4648() {
        let vectors = [
            "": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=",
            "foobar": "Zm9vYmFy",
        ]
        for (plain, encoded) in vectors {
            XCTAssertEqual(Base64.encode(Array(plain.utf8)), encoded, plain)
            var output = ByteBuffer(string: "prefix:")
            Base64.write(ByteBuffer(string: plain), to: &output)
            XCTAssertEqual(String(buffer: output), "prefix:" + encoded, plain)
        }
    }

    func testBasicCredentials() {
        XCTAssertEqual(
            BasicCredentials(user: "Aladdin", password: "open sesame").authorizationValue,
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        )
        XCTAssertEqual(BasicCredentials(userColonPassword: "a:b:c"), BasicCredentials(user: "a", password: "b:c"))
        XCTAssertNil(BasicCredentials(userColonPassword: "nocolon"))
    }

    func testCloseCodesAllowedOnTheWire() {
        for code: UInt16 in [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999] {
            XCTAssertTrue(CloseCode(code).isAllowedOnWire, "\(code)")
        }
        for code: UInt16 in [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535] {
            XCTAssertFalse(CloseCode(code).isAllowedOnWire, "\(code)")
        }
        XCTAssertEqual(CloseCode.messageTooBig.description, "1009 (message too big)")
        XCTAssertEqual(CloseCode(4321).description, "4321 (private code)")
    }

    func testCloseReportCleanliness() {
        XCTAssertTrue(CloseReport(initiator: .remote, code: .goingAway, reason: "").isClean)
        XCTAssertFalse(CloseReport(initiator: .remote, code: CloseCode(4000), reason: "").isClean)
        let violation = ProtocolViolation(closeCode: .messageTooBig, "too big", limit: .maxMessageSize)
        let report = CloseReport(initiator: .local, code: .messageTooBig, reason: "", violation: violation)
        XCTAssertFalse(report.isClean)
        XCTAssertEqual(report.limit, .maxMessageSize)
        XCTAssertEqual(
            CloseReport(initiator: .remote, code: .abnormalClosure, reason: "", failedLimit: .pingTimeout).limit,
            .pingTimeout
        )
    }

    /// The keys come from whole 4 KiB reads of the kernel's random source: a read compared against the wrong
    /// size once sent every block to the fallback, one getrandom(2) per frame.
    func testMaskingKeysComeFromWholeKernelReads() {
        var block = [UInt64](repeating: 0, count: 512)
        XCTAssertTrue(MaskingKeySource.readKernelRandom(into: &block))
        XCTAssertGreaterThan(Set(block).count, 500, "the block was not filled")
    }

    func testMaskingKeysVary() {
        var source = MaskingKeySource()
        let keys = (0..<2048).map { _ in source.nextKeyWord() }
        XCTAssertGreaterThan(Set(keys).count, 2000, "keys repeat far too often")
    }

    /// Keep-Alive, Proxy-Connection and TE belong to one HTTP/1.1 connection: sent as given over HTTP/1.1,
    /// refused over HTTP/2, whatever their case.
    func testConnectionSpecificHeadersAreRefusedOnlyOverHTTP2() {
        for name in ["Keep-Alive", "proxy-connection", "TE"] {
            XCTAssertEqual(
                HandshakeRequest.rule(forUserHeader: name, offersCompression: true, over: .http1),
                .added,
                name
            )
            XCTAssertEqual(
                HandshakeRequest.rule(forUserHeader: name, offersCompression: true, over: .http2),
                .refused(.connectionSpecific),
                name
            )
        }
    }

    func testHandshakeRequestHeadersInOrderWithUserOverrides() throws {
        var configuration = ClientConfiguration(url: try WebSocketURL(parsing: "ws://u:p@h:81/p?q"))
        configuration.origin = "https://o"
        configuration.subprotocols = ["a", "b"]
        configuration.headers = [HeaderField(name: "user-agent", value: "mine"), HeaderField(name: "X-A", value: "1")]
        let head = HandshakeRequest.head(for: configuration)
        XCTAssertEqual(head.uri, "/p?q")
        XCTAssertEqual(
            head.headers.map { "\($0.name): \($0.value)" },
            [
                "Host: h:81", "Origin: https://o", "Sec-WebSocket-Protocol: a, b",
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits", "Authorization: Basic dTpw",
                "user-agent: mine", "X-A: 1",
            ]
        )
    }
}

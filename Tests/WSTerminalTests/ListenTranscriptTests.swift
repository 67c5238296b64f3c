import NIOCore
import WSEngine
import XCTest

@testable import WSTerminal

/// The transcript lines of `wsc --listen`'s REPL: each client's lines carry its address.
final class ListenTranscriptTests: XCTestCase {
    private let time = LocalTime(hour: 14, minute: 3, second: 9, millisecond: 42)
    private let peer = "127.0.0.1:52144"
    private let formatter = TranscriptFormatter(colors: false, timestamps: true)

    private func text(_ bytes: [UInt8]?) -> String {
        String(decoding: bytes ?? [], as: UTF8.self)
    }

    func testReceivedLinesNameTheClientAndIndentUnderThePayload() {
        XCTAssertEqual(
            self.text(self.formatter.received(.text(ByteBuffer(string: "a\nb")), at: self.time, peer: self.peer)),
            "14:03:09.042 127.0.0.1:52144 < a\r\n" + String(repeating: " ", count: 31) + "b\r\n"
        )
        XCTAssertEqual(self.formatter.indent(peer: self.peer), 31)
        XCTAssertEqual(self.formatter.indent(peer: nil), self.formatter.indent)
        let dump = self.text(
            self.formatter.received(.binary(ByteBuffer(bytes: [1, 2])), at: self.time, peer: self.peer)
        )
        XCTAssertEqual(
            dump,
            "14:03:09.042 127.0.0.1:52144 < binary 2 bytes\r\n" + String(repeating: " ", count: 31)
                + "00000000  01 02" + String(repeating: " ", count: 45) + "|..|\r\n"
        )
    }

    func testAClientsCloseSaysClientNotServer() {
        let closed = CloseReport(initiator: .remote, code: CloseCode(4000), reason: "bye")
        XCTAssertEqual(
            self.text(self.formatter.closed(closed, at: self.time, peer: self.peer)),
            "14:03:09.042 127.0.0.1:52144 * client closed: 4000 (private code) bye\r\n"
        )
        let silent = CloseReport(initiator: .local, code: .goingAway, reason: "", peerDidNotAnswer: true)
        XCTAssertEqual(
            self.text(self.formatter.closed(silent, at: self.time, peer: self.peer)),
            "14:03:09.042 127.0.0.1:52144 * closed: 1001 (going away) (the client did not answer the close)\r\n"
        )
    }

    func testSentLinesSayHowManyClientsGotThem() {
        XCTAssertEqual(
            self.text(self.formatter.sent(.text(ByteBuffer(string: "hi")), at: self.time, recipients: 1)),
            "14:03:09.042 > hi (to 1 client)\r\n"
        )
        XCTAssertEqual(
            self.text(self.formatter.sent(.ping(ByteBuffer()), at: self.time, recipients: 3)),
            "14:03:09.042 > ping (to 3 clients)\r\n"
        )
    }

    func testConnectAndRefusalNotices() {
        let handshake = HandshakeInfo(
            requestLine: "GET / HTTP/1.1",
            requestHeaders: [],
            statusLine: "HTTP/1.1 101 Switching Protocols",
            responseHeaders: [],
            subprotocol: "chat"
        )
        let connected = ListenEvent.connected(peer: self.peer, handshake)
        XCTAssertEqual(connected.summary, "connected (subprotocol chat)")
        XCTAssertEqual(
            self.text(self.formatter.notice(connected.summary, at: self.time, peer: connected.peer)),
            "14:03:09.042 127.0.0.1:52144 * connected (subprotocol chat)\r\n"
        )
        let refused = ListenEvent.refused(peer: self.peer, reason: "not a WebSocket upgrade")
        XCTAssertEqual(refused.peer, self.peer)
        XCTAssertEqual(refused.summary, "not a WebSocket upgrade")
        let closed = ListenEvent.closed(
            peer: self.peer,
            CloseReport(initiator: .remote, code: .normalClosure, reason: "")
        )
        XCTAssertEqual(closed.summary, "client closed the connection: 1000 (normal closure)")
    }

    func testListenHelpSpeaksOfClients() {
        var serving = self.formatter
        serving.serving = true
        let help = self.text(serving.help())
        XCTAssertTrue(help.hasPrefix("Type a line and press Enter to send it to every connected client;"), help)
        XCTAssertTrue(help.contains("close every client with 1001 and exit"), help)
        XCTAssertTrue(help.contains("//text"), help)
        XCTAssertFalse(self.text(self.formatter.help()).contains("client"))
    }
}

import NIOCore
import WSEngine
import XCTest

@testable import WSTerminal

final class TranscriptFormatterTests: XCTestCase {
    private let time = LocalTime(hour: 14, minute: 3, second: 9, millisecond: 42)
    private let plain = TranscriptFormatter(colors: false, timestamps: true)

    private func text(_ bytes: [UInt8]?) -> String {
        String(decoding: bytes ?? [], as: UTF8.self)
    }

    func testReceivedTextIsTimestampedAndMarked() {
        XCTAssertEqual(
            self.text(self.plain.received(.text(ByteBuffer(string: "hello")), at: self.time)),
            "14:03:09.042 < hello\r\n"
        )
    }

    func testEmptyAndSpaceOnlyMessagesAreVisible() {
        XCTAssertEqual(
            self.text(self.plain.received(.text(ByteBuffer(string: "")), at: self.time)),
            "14:03:09.042 < (empty)\r\n"
        )
        XCTAssertEqual(
            self.text(self.plain.received(.text(ByteBuffer(string: "   ")), at: self.time)),
            "14:03:09.042 < \\x20\\x20\\x20\r\n"
        )
        XCTAssertEqual(
            self.text(self.plain.received(.text(ByteBuffer(string: " a ")), at: self.time)),
            "14:03:09.042 <  a \r\n",
            "spaces around text are as sent"
        )
    }

    func testMultiLineTextIsIndentedUnderThePayload() {
        XCTAssertEqual(
            self.text(self.plain.received(.text(ByteBuffer(string: "{\n  \"a\": 1\n}")), at: self.time)),
            "14:03:09.042 < {\r\n                 \"a\": 1\r\n               }\r\n"
        )
    }

    func testGreetingNamesTheURLWhatWasAgreedAndHowToLeave() {
        let chat = SessionGreeting(url: "ws://localhost:8080/chat", subprotocol: "chat.v1", compressed: true)
        XCTAssertEqual(
            self.text(self.plain.greeting(chat, at: self.time)),
            "14:03:09.042 * connected to ws://localhost:8080/chat (subprotocol chat.v1, permessage-deflate); "
                + "/help for help, Ctrl-D to quit\r\n"
        )
        let bare = SessionGreeting(url: "wss://example.org/", subprotocol: nil, compressed: false)
        XCTAssertEqual(
            self.text(self.plain.greeting(bare, at: self.time)),
            "14:03:09.042 * connected to wss://example.org/ (uncompressed); /help for help, Ctrl-D to quit\r\n"
        )
        let http2 = SessionGreeting(
            url: "wss://example.org/",
            subprotocol: "chat.v1",
            compressed: true,
            handshakeProtocol: .http2
        )
        XCTAssertEqual(
            self.text(self.plain.greeting(http2, at: self.time)),
            "14:03:09.042 * connected to wss://example.org/ (HTTP/2, subprotocol chat.v1, permessage-deflate); "
                + "/help for help, Ctrl-D to quit\r\n"
        )
    }

    func testGreetingEscapesTheServersSubprotocol() {
        let hostile = SessionGreeting(url: "ws://h/", subprotocol: "x\u{1B}[2J", compressed: false)
        XCTAssertEqual(
            self.text(self.plain.greeting(hostile, at: self.time)),
            "14:03:09.042 * connected to ws://h/ (subprotocol x\\x1b[2J, uncompressed); "
                + "/help for help, Ctrl-D to quit\r\n"
        )
    }

    func testWithoutTimestamps() {
        let formatter = TranscriptFormatter(colors: false, timestamps: false)
        XCTAssertEqual(
            self.text(formatter.received(.text(ByteBuffer(string: "a\nb")), at: self.time)),
            "< a\r\n  b\r\n"
        )
        XCTAssertEqual(self.text(formatter.sent(.text(ByteBuffer(string: "hi")), at: self.time)), "> hi\r\n")
    }

    func testSentMessagesAndCommands() {
        XCTAssertEqual(
            self.text(self.plain.sent(.text(ByteBuffer(string: "hi")), at: self.time)),
            "14:03:09.042 > hi\r\n"
        )
        XCTAssertEqual(
            self.text(self.plain.sent(.ping(ByteBuffer(string: "are you there")), at: self.time)),
            "14:03:09.042 > ping \"are you there\"\r\n"
        )
        XCTAssertEqual(
            self.text(self.plain.sent(.close(CloseCode(4000), reason: "bye"), at: self.time)),
            "14:03:09.042 > close 4000 (private code) bye\r\n"
        )
        XCTAssertEqual(
            self.text(self.plain.sent(.close(.normalClosure, reason: ""), at: self.time)),
            "14:03:09.042 > close 1000 (normal closure)\r\n"
        )
    }

    func testPingsAndPongs() {
        XCTAssertEqual(self.text(self.plain.received(.ping(ByteBuffer()), at: self.time)), "14:03:09.042 < ping\r\n")
        XCTAssertEqual(
            self.text(self.plain.received(.pong(ByteBuffer(string: "x\u{1B}")), at: self.time)),
            "14:03:09.042 < pong \"x\\x1b\"\r\n"
        )
        XCTAssertEqual(
            self.text(self.plain.received(.ping(ByteBuffer(bytes: [0x9F, 0x3A, 0x01, 0xC2])), at: self.time)),
            "14:03:09.042 < ping 0x9f3a01c2\r\n"
        )
    }

    func testBinaryIsAHexDumpWithItsLength() {
        var formatter = TranscriptFormatter(colors: false, timestamps: false)
        formatter.hexDump = HexDump(maximumBytes: 16)
        let payload = ByteBuffer(bytes: Array("hello, binary world!".utf8))
        XCTAssertEqual(
            self.text(formatter.received(.binary(payload), at: self.time)),
            "< binary 20 bytes\r\n"
                + "  00000000  68 65 6c 6c 6f 2c 20 62  69 6e 61 72 79 20 77 6f  |hello, binary wo|\r\n"
                + "  … 4 more bytes\r\n"
        )
        XCTAssertEqual(self.text(formatter.received(.binary(ByteBuffer()), at: self.time)), "< binary 0 bytes\r\n")
        XCTAssertEqual(
            self.text(formatter.received(.binary(ByteBuffer(bytes: [7])), at: self.time)),
            "< binary 1 byte\r\n  00000000  07                                                |.|\r\n"
        )
    }

    func testCloseLinesSayWhoClosedTheCodeItsNameAndTheReason() {
        XCTAssertEqual(
            self.text(
                self.plain.closed(CloseReport(initiator: .remote, code: .normalClosure, reason: "bye"), at: self.time)
            ),
            "14:03:09.042 * server closed: 1000 (normal closure) bye\r\n"
        )
        XCTAssertEqual(
            self.text(
                self.plain.closed(CloseReport(initiator: .local, code: CloseCode(4000), reason: "done"), at: self.time)
            ),
            "14:03:09.042 * closed: 4000 (private code) done\r\n"
        )
        XCTAssertEqual(
            self.text(
                self.plain.closed(CloseReport(initiator: .remote, code: .abnormalClosure, reason: ""), at: self.time)
            ),
            "14:03:09.042 * connection lost: 1006 (abnormal closure)\r\n"
        )
        XCTAssertEqual(
            self.text(
                self.plain.closed(
                    CloseReport(
                        initiator: .remote,
                        code: .abnormalClosure,
                        reason: "connection dropped without a Close frame",
                        transportFailure: "TLS: the connection failed: decryption failed or bad record mac"
                    ),
                    at: self.time
                )
            ),
            "14:03:09.042 * connection lost: 1006 (abnormal closure) "
                + "TLS: the connection failed: decryption failed or bad record mac\r\n"
        )
        XCTAssertEqual(
            self.text(
                self.plain.closed(
                    CloseReport(
                        initiator: .local,
                        code: .normalClosure,
                        reason: "bye",
                        peerDidNotAnswer: true,
                        transportFailure: "connection reset by peer"
                    ),
                    at: self.time
                )
            ),
            "14:03:09.042 * closed: 1000 (normal closure) bye "
                + "(the connection failed before the server answered: connection reset by peer)\r\n"
        )
        XCTAssertEqual(
            self.text(
                self.plain.closed(
                    CloseReport(initiator: .local, code: .normalClosure, reason: "", peerDidNotAnswer: true),
                    at: self.time
                )
            ),
            "14:03:09.042 * closed: 1000 (normal closure) (the server did not answer the close)\r\n"
        )
    }

    func testCloseReasonFromThePeerIsEscaped() {
        XCTAssertEqual(
            self.text(
                self.plain.closed(
                    CloseReport(initiator: .remote, code: .goingAway, reason: "\u{1B}[31m"),
                    at: self.time
                )
            ),
            "14:03:09.042 * server closed: 1001 (going away) \\x1b[31m\r\n"
        )
    }

    func testViolationIsShownAsAProtocolError() {
        let violation = ProtocolViolation(closeCode: .invalidPayloadData, "a text message was not valid UTF-8")
        let report = CloseReport(initiator: .local, code: .invalidPayloadData, reason: "", violation: violation)
        XCTAssertEqual(
            self.text(self.plain.closed(report, at: self.time)),
            "14:03:09.042 ! protocol error: a text message was not valid UTF-8; closed with 1007 (invalid payload data)\r\n"
        )
        XCTAssertEqual(
            self.text(self.plain.received(.closed(report), at: self.time)),
            self.text(self.plain.closed(report, at: self.time))
        )
    }

    func testIdleShowsNothing() {
        XCTAssertNil(self.plain.received(.idle, at: self.time))
    }

    func testErrorsAndNotices() {
        XCTAssertEqual(self.text(self.plain.error("oops", at: self.time)), "14:03:09.042 ! oops\r\n")
        XCTAssertEqual(self.text(self.plain.notice("fyi", at: self.time)), "14:03:09.042 * fyi\r\n")
    }

    /// Readable on light and dark backgrounds: no yellow or cyan; our own messages bold in the terminal's colour.
    func testColoursWhenEnabled() {
        let colored = TranscriptFormatter(colors: true, timestamps: true)
        XCTAssertEqual(
            self.text(colored.received(.text(ByteBuffer(string: "hi")), at: self.time)),
            "\u{1B}[2m14:03:09.042\u{1B}[0m \u{1B}[32m<\u{1B}[0m hi\r\n"
        )
        XCTAssertEqual(
            self.text(colored.sent(.text(ByteBuffer(string: "hi")), at: self.time)),
            "\u{1B}[2m14:03:09.042\u{1B}[0m \u{1B}[1m>\u{1B}[0m hi\r\n"
        )
        XCTAssertEqual(
            self.text(colored.error("bad", at: self.time)),
            "\u{1B}[2m14:03:09.042\u{1B}[0m \u{1B}[1;31m!\u{1B}[0m \u{1B}[1;31mbad\u{1B}[0m\r\n"
        )
        XCTAssertEqual(
            self.text(colored.closed(CloseReport(initiator: .remote, code: .normalClosure, reason: ""), at: self.time)),
            "\u{1B}[2m14:03:09.042\u{1B}[0m \u{1B}[1;35m*\u{1B}[0m \u{1B}[1;35mserver closed:\u{1B}[0m 1000 (normal closure)\r\n"
        )
    }

    func testNoEscapeSequencesAtAllWhenColoursAreOff() {
        let formatter = TranscriptFormatter(colors: false, timestamps: true)
        let outputs: [[UInt8]?] = [
            formatter.received(.text(ByteBuffer(string: "hi")), at: self.time),
            formatter.received(.binary(ByteBuffer(bytes: [1, 2, 3])), at: self.time),
            formatter.received(.ping(ByteBuffer(string: "p")), at: self.time),
            formatter.sent(.close(.goingAway, reason: "x"), at: self.time),
            formatter.closed(CloseReport(initiator: .remote, code: .normalClosure, reason: ""), at: self.time),
            formatter.error("e", at: self.time),
            formatter.help(),
        ]
        for output in outputs {
            XCTAssertFalse((output ?? []).contains(0x1B), self.text(output))
        }
    }

    func testHelpListsEveryCommandAndSaysWhatAnEmptyLineDoes() {
        let help = self.text(self.plain.help())
        for command in ["/ping [text]", "/close [code [reason]]", "/quit", "/help", "//text", "Ctrl-D", "Ctrl-C"] {
            XCTAssertTrue(help.contains(command), command)
        }
        XCTAssertTrue(help.contains("an empty line sends nothing"))
    }
}

import Foundation
import WSEngine
import XCTest

@testable import WSTerminal

final class SlashCommandParserTests: XCTestCase {
    func testPlainLinesAreMessages() {
        XCTAssertEqual(SlashCommandParser.parse("hello world"), .text("hello world"))
        XCTAssertEqual(SlashCommandParser.parse(" /ping"), .text(" /ping"))
        XCTAssertEqual(SlashCommandParser.parse("   "), .text("   "))
        XCTAssertEqual(SlashCommandParser.parse("{\"a\": 1}"), .text("{\"a\": 1}"))
    }

    func testEmptyLineSendsNothing() {
        XCTAssertEqual(SlashCommandParser.parse(""), .nothing)
    }

    func testDoubleSlashSendsALineStartingWithSlash() {
        XCTAssertEqual(SlashCommandParser.parse("//ping"), .text("/ping"))
        XCTAssertEqual(SlashCommandParser.parse("//"), .text("/"))
        XCTAssertEqual(SlashCommandParser.parse("///x y"), .text("//x y"))
    }

    func testPing() {
        XCTAssertEqual(SlashCommandParser.parse("/ping"), .ping(""))
        XCTAssertEqual(SlashCommandParser.parse("/ping hello"), .ping("hello"))
        XCTAssertEqual(SlashCommandParser.parse("/ping   two  words "), .ping("two  words "))
        XCTAssertEqual(SlashCommandParser.parse("/ping\thello"), .ping("hello"))
    }

    func testPingTextIsLimitedTo125Bytes() {
        XCTAssertEqual(
            SlashCommandParser.parse("/ping " + String(repeating: "a", count: 125)),
            .ping(String(repeating: "a", count: 125))
        )
        guard case .invalid(let message) = SlashCommandParser.parse("/ping " + String(repeating: "é", count: 63)) else {
            return XCTFail("126 bytes of ping text were accepted")
        }
        XCTAssertEqual(message, "/ping: the text is 126 bytes; a ping carries at most 125")
    }

    func testCloseWithoutArgumentsIsNormalClosure() {
        XCTAssertEqual(SlashCommandParser.parse("/close"), .close(.normalClosure, reason: ""))
    }

    func testCloseWithCodeAndReason() {
        XCTAssertEqual(SlashCommandParser.parse("/close 4000"), .close(CloseCode(4000), reason: ""))
        XCTAssertEqual(SlashCommandParser.parse("/close 4000 bye"), .close(CloseCode(4000), reason: "bye"))
        XCTAssertEqual(
            SlashCommandParser.parse("/close 1001 see you  soon"),
            .close(.goingAway, reason: "see you  soon")
        )
        XCTAssertEqual(SlashCommandParser.parse("/close   3000   x"), .close(CloseCode(3000), reason: "x"))
        XCTAssertEqual(SlashCommandParser.parse("/close 1000"), .close(.normalClosure, reason: ""))
        XCTAssertEqual(SlashCommandParser.parse("/close 4999"), .close(CloseCode(4999), reason: ""))
        XCTAssertEqual(SlashCommandParser.parse("/close 1014"), .close(CloseCode(1014), reason: ""))
    }

    func testCloseCodesOutsideTheRangeAreRefused() {
        for word in ["999", "5000", "0", "65535", "70000", "-1000", "+1000", "abc", "10x0", "1000.0", "４０００"] {
            XCTAssertEqual(
                SlashCommandParser.parse("/close \(word) reason"),
                .invalid("/close: '\(word)' is not a close code; use a number from 1000 to 4999"),
                word
            )
        }
    }

    func testReservedCloseCodesAreRefused() {
        for code in [1004, 1005, 1006, 1015, 1016, 2000, 2999] {
            guard case .invalid(let message) = SlashCommandParser.parse("/close \(code)") else {
                XCTFail("\(code) was accepted")
                continue
            }
            XCTAssertEqual(
                message,
                "/close: \(CloseCode(UInt16(code))) may not be sent in a Close frame; use 1000-1003, 1007-1014 or 3000-4999"
            )
        }
    }

    func testCloseReasonIsLimitedTo123Bytes() {
        let longest = String(repeating: "r", count: 123)
        XCTAssertEqual(SlashCommandParser.parse("/close 4000 " + longest), .close(CloseCode(4000), reason: longest))
        XCTAssertEqual(
            SlashCommandParser.parse("/close 4000 " + longest + "r"),
            .invalid("/close: the reason is 124 bytes; a Close frame carries at most 123")
        )
    }

    func testQuitAndHelp() {
        XCTAssertEqual(SlashCommandParser.parse("/quit"), .quit)
        XCTAssertEqual(SlashCommandParser.parse("/help"), .help)
        XCTAssertEqual(SlashCommandParser.parse("/quit "), .quit)
        XCTAssertEqual(SlashCommandParser.parse("/quit now"), .invalid("/quit takes no arguments"))
        XCTAssertEqual(SlashCommandParser.parse("/help me"), .invalid("/help takes no arguments"))
    }

    func testUnknownCommandsPointToHelp() {
        XCTAssertEqual(
            SlashCommandParser.parse("/pong x"),
            .invalid("unknown command /pong (see /help; // sends a line starting with /)")
        )
        XCTAssertEqual(
            SlashCommandParser.parse("/"),
            .invalid("unknown command / (see /help; // sends a line starting with /)")
        )
        XCTAssertEqual(
            SlashCommandParser.parse("/PING"),
            .invalid("unknown command /PING (see /help; // sends a line starting with /)")
        )
        XCTAssertEqual(
            SlashCommandParser.parse("/pingx"),
            .invalid("unknown command /pingx (see /help; // sends a line starting with /)")
        )
    }

    func testJSONTogglesAndSaveNeedsAFile() {
        XCTAssertEqual(SlashCommandParser.parse("/json"), .toggleJSON)
        XCTAssertEqual(SlashCommandParser.parse("/json on"), .invalid("/json takes no arguments"))
        XCTAssertEqual(SlashCommandParser.parse("/save /tmp/my log.txt"), .save("/tmp/my log.txt"))
        XCTAssertEqual(SlashCommandParser.parse("/save"), .invalid("/save needs a file name: /save FILE"))
    }

    func testSendAndBinary() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wsc-send-\(UUID().uuidString)")
        try Data("x".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        XCTAssertEqual(SlashCommandParser.parse("/send \(file.path)"), .sendFile(file.path, asText: false))
        XCTAssertEqual(SlashCommandParser.parse("/send --text \(file.path)"), .sendFile(file.path, asText: true))
        XCTAssertEqual(SlashCommandParser.parse("/binary 48 65 6c6c 6F"), .binary([0x48, 0x65, 0x6C, 0x6C, 0x6F]))
        for bad in [
            "/send", "/send --text", "/send /nonexistent/file", "/send /", "/send -", "/binary", "/binary 4",
            "/binary zz",
        ] {
            guard case .invalid = SlashCommandParser.parse(bad) else {
                return XCTFail("\(bad) is refused with a reason")
            }
        }
    }
}

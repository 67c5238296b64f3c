import Foundation
import XCTest

/// Composing a message in the REPL: pasted blocks and Alt-Enter for several lines, Tab for slash commands, and a
/// cursor that moves and deletes whole characters. The raw server shows the bytes that were sent.
final class ReplEditingTests: ReplTestCase {
    /// Without bracketed paste every pasted line break was Enter: pretty-printed JSON went out line by line.
    func testABracketedPasteOfSeveralLinesIsOneMessageSentOnEnterAndThePasteModeIsOffAfterwards() throws {
        let server = try self.startRawServer(["--answer-close"])
        let terminal = try self.startREPL(server.url(), width: 60)
        let json = "{\n  \"a\": 1,\n  \"b\": [2, 3]\n}"
        try terminal.paste(json, bracketed: true)
        try terminal.waitForScreen("the pasted lines in the edit line") {
            $0.suffix(4) == ["> {", "  \"a\": 1,", "  \"b\": [2, 3]", "}"]
        }
        try terminal.type(" ")
        try terminal.press("Enter")
        let sent = Array((json + " ").utf8)
        XCTAssertEqual(try server.waitForLine(prefix: "FRAME"), "FRAME 1 \(sent.count) \(Self.hex(sent))")
        try terminal.waitForScreen("the sent message as a block") { rows in
            rows.contains { Self.isTimestamped($0, "> {") } && rows.last == ">"
        }
        XCTAssertEqual(server.output.filter { $0.hasPrefix("FRAME") }.count, 1, "one message: \(server.output)")

        try terminal.press("C-d")
        try terminal.waitForRow(containing: "[tty:")
        // The shell's `sleep` has the terminal now: a paste is echoed as is, with no markers around it.
        try terminal.paste("after", bracketed: true)
        let rows = try terminal.waitForScreen("the echoed paste") { $0.last?.contains("after") == true }
        XCTAssertEqual(rows.last, "after", "bracketed paste is off once wsc is gone: \(rows)")
    }

    /// Ctrl-Z hands the terminal to the shell without bracketed paste (dash does not know it), and `fg` turns it
    /// on again.
    func testCtrlZTurnsBracketedPasteOffUntilFg() throws {
        let server = try self.startRawServer(["--answer-close"])
        let environment = "LANG=C.UTF-8 XDG_STATE_HOME=\(Self.quoted(self.folder.path)) PS1='$ '"
        let terminal = try TmuxSession(command: "env \(environment) dash -i")
        self.addTeardownBlock { terminal.kill() }
        try terminal.waitForScreen("the shell's prompt") { $0.last == "$" }
        try terminal.type("\(Self.quoted(TestPaths.wsc.path)) \(server.url())")
        try terminal.press("Enter")
        try terminal.waitForScreen("the prompt") { $0.last == ">" }
        try terminal.press("C-z")
        try terminal.waitForScreen("the shell's prompt again") { $0.last == "$" }
        try terminal.paste("echo pasted", bracketed: true)
        try terminal.waitForScreen("the paste at the shell") { $0.last == "$ echo pasted" }
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "pasted")
        try terminal.type("fg")
        try terminal.press("Enter")
        try terminal.waitForScreen("the prompt again") { $0.last == ">" }
        try terminal.paste("one\ntwo", bracketed: true)
        try terminal.press("Enter")
        XCTAssertEqual(try server.waitForLine(prefix: "FRAME"), "FRAME 1 7 \(Self.hex(Array("one\ntwo".utf8)))")
    }

    func testAltEnterBreaksTheLineAndEnterSendsEveryLine() throws {
        let server = try self.startRawServer(["--answer-close"])
        let terminal = try self.startREPL(server.url())
        try terminal.type("first line")
        try terminal.press("M-Enter")
        try terminal.type("second")
        try terminal.waitForScreen("two rows being edited") { $0.suffix(2) == ["> first line", "second"] }
        XCTAssertEqual(try terminal.cursor().column, 6)
        try terminal.press("Enter")
        let sent = Array("first line\nsecond".utf8)
        XCTAssertEqual(try server.waitForLine(prefix: "FRAME"), "FRAME 1 \(sent.count) \(Self.hex(sent))")
        let rows = try terminal.waitForScreen("the sent message") { $0.last == ">" && $0.count >= 3 }
        XCTAssertTrue(Self.isTimestamped(rows[rows.count - 3], "> first line"), "\(rows)")
        XCTAssertEqual(rows[rows.count - 2], String(repeating: " ", count: 15) + "second", "\(rows)")
    }

    /// Tab used to insert a tab character into every line.
    func testTabCompletesSlashCommandsListsChoicesAndTypesNothingInAMessage() throws {
        let server = try self.startRawServer(["--answer-close"])
        let terminal = try self.startREPL(server.url())
        try terminal.type("/")
        try terminal.press("Tab")
        try terminal.waitForRow(containing: "/close   /help   /json   /ping   /quit   /reconnect   /save")
        try terminal.waitForRow(containing: "/status")
        try terminal.type("p")
        try terminal.press("Tab")
        try terminal.type("hi")
        try terminal.waitForScreen("the completed command") { $0.last == "> /ping hi" }
        try terminal.press("Enter")
        XCTAssertEqual(try server.waitForLine(prefix: "FRAME"), "FRAME 9 2 6869")

        try terminal.type("plain")
        try terminal.press("Tab")
        try terminal.type("text")
        try terminal.press("Enter")
        XCTAssertEqual(try server.waitForLine(prefix: "FRAME 1"), "FRAME 1 9 \(Self.hex(Array("plaintext".utf8)))")

        try terminal.type("/cl")
        try terminal.press("Tab")
        try terminal.type("4000")
        try terminal.press("Enter")
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 4000 ")
    }

    /// libedit moved and deleted by Unicode scalar: Left stepped between an `e` and its accent, and Backspace
    /// took half a flag or one person out of a family.
    func testTheCursorMovesAndDeletesWholeCharacters() throws {
        let server = try self.startRawServer(["--answer-close"])
        let terminal = try self.startREPL(server.url())
        let family = "👨\u{200D}👩\u{200D}👧"
        try terminal.type("cafe\u{301}!")
        try terminal.press("Left", "Left")
        try terminal.type("X")
        try terminal.press("End", "BSpace")
        try terminal.type("🇫🇷🇩🇪" + family)
        try terminal.press("Left", "BSpace", "Left", "Left", "DC")
        try terminal.type("Y")
        try terminal.press("Enter")
        let sent = Array("cafXY🇫🇷\(family)".utf8)
        XCTAssertEqual(try server.waitForLine(prefix: "FRAME"), "FRAME 1 \(sent.count) \(Self.hex(sent))")
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.prefix(64).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

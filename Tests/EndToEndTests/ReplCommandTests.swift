import Foundation
import XCTest

/// `/json`, `/save`, `/status` and `/reconnect` in the REPL.
final class ReplCommandTests: ReplTestCase {
    func testSlashJSONShowsJSONMessagesIndentedUntilTurnedOff() throws {
        let server = try self.startServer("echo")
        let terminal = try self.startREPL(server.url())
        try terminal.type("/json")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "* /json on: JSON messages are shown indented")
        try terminal.type(#"{"id":7,"tags":["a","b"]}"#)
        try terminal.press("Enter")
        let rows = try terminal.waitForScreen("the indented echo") {
            $0.last == ">" && $0.contains { $0.hasSuffix("< {") }
        }
        let start = rows.lastIndex { $0.hasSuffix("< {") }!
        XCTAssertEqual(
            Array(rows[(start + 1)...].prefix(6)),
            [
                "                 \"id\": 7,",
                "                 \"tags\": [",
                "                   \"a\",",
                "                   \"b\"",
                "                 ]",
                "               }",
            ]
        )
        try terminal.type("/json")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "* /json off")
        try terminal.type(#"{"id":8}"#)
        try terminal.press("Enter")
        try terminal.waitForRow(containing: #"< {"id":8}"#)
    }

    /// The screen cuts a huge message; the saved transcript has all of it, and no colour escapes.
    func testSlashSaveWritesTheWholeTranscriptAndSaysWhenItCannot() throws {
        let server = try self.startServer("echo")
        let terminal = try self.startREPL(server.url(), ["--color", "always"])
        let long = String(repeating: "0123456789", count: 500) + "END"
        try terminal.paste(long, bracketed: true)
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "… 907 more bytes")
        XCTAssertFalse(try terminal.screen().contains { $0.contains("END") }, "cut on the screen")

        let file = self.folder.appendingPathComponent("transcript.txt")
        try terminal.type("/save \(file.path)")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "* transcript saved to \(file.path)")
        let saved = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertTrue(
            Self.isTimestamped(
                saved.first ?? "",
                "* connected to \(server.url()) (uncompressed); /help for help, Ctrl-D to quit"
            ),
            "\(saved)"
        )
        XCTAssertTrue(saved.contains { $0.hasSuffix("> " + long) }, "the whole message, one line: \(saved.count) lines")
        XCTAssertTrue(saved.contains { $0.hasSuffix("< " + long) }, "\(saved.count) lines")
        XCTAssertFalse(saved.joined().contains("\u{1B}"), "no colour escapes")

        try terminal.type("/save /nonexistent/folder/x.txt")
        try terminal.press("Enter")
        try terminal.waitForRow(
            containing: "! /save: cannot write /nonexistent/folder/x.txt: No such file or directory"
        )
    }

    /// `/status` says where the session is and what went each way; `/reconnect` closes with 1000 and opens a
    /// new session on the same URL, with its first line again.
    func testSlashStatusAndSlashReconnect() throws {
        let server = try self.startServer("flaky", ["--failures", "0"])
        let terminal = try self.startREPL(server.url())
        try terminal.type("hello")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "< hello")
        try terminal.type("/status")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "* connected to \(server.url()) for 0h 0m")
        try terminal.waitForRow(containing: "* subprotocol: none; compression: none")
        try terminal.waitForRow(containing: "* sent 1 message (5 bytes); received 1 message (5 bytes)")
        try terminal.waitForRow(containing: "* no ping answered yet (/ping)")
        try terminal.type("/reconnect")
        try terminal.press("Enter")
        try server.waitForLine(prefix: "CONNECTION 2")
        let rows = try terminal.waitForScreen("a second first line") { rows in
            rows.filter { $0.contains("* connected to \(server.url())") && $0.contains("Ctrl-D to quit") }.count == 2
        }
        XCTAssertTrue(rows.contains { $0.contains("closed: 1000 (normal closure)") }, "\(rows)")
        try terminal.type("again")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "< again")
        XCTAssertEqual(server.output.filter { $0.hasPrefix("RECEIVED") }, ["RECEIVED hello", "RECEIVED again"])
    }

    /// `/binary` sends bytes given as hex; `/send` a file, binary or (checked) text; a bad file is one line.
    func testSlashBinaryAndSlashSend() throws {
        let server = try self.startRawServer(["--answer-close"])
        let terminal = try self.startREPL(server.url())
        try terminal.type("/binary 48 69 00 ff")
        try terminal.press("Enter")
        XCTAssertEqual(try server.waitForLine(prefix: "FRAME"), "FRAME 2 4 486900ff")
        // Short paths, so that the lines naming them fit on one row of the terminal.
        let tag = UInt16.random(in: 1000...9999)
        let binary = URL(fileURLWithPath: "/tmp/wsc\(tag).bin")
        let text = URL(fileURLWithPath: "/tmp/wsc\(tag).txt")
        defer {
            try? FileManager.default.removeItem(at: binary)
            try? FileManager.default.removeItem(at: text)
        }
        try Data([0x00, 0x01, 0xFE]).write(to: binary)
        try terminal.type("/send \(binary.path)")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "* sending the file '\(binary.path)' as a binary message")
        try server.waitForLine(prefix: "FRAME 2 3 0001fe")
        try Data("héllo".utf8).write(to: text)
        try terminal.type("/send --text \(text.path)")
        try terminal.press("Enter")
        try server.waitForLine(prefix: "FRAME 1 6 68c3a96c6c6f")
        try terminal.type("/send --text \(binary.path)")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "! not sent: the file '\(binary.path)' is not valid UTF-8")
        try terminal.type("/send /nonexistent/file")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "cannot read '/nonexistent/file': No such file")
    }
}

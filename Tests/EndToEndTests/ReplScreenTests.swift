import Foundation
import XCTest

/// How the REPL uses the screen: resizes while messages arrive, and dumb terminals.
final class ReplScreenTests: ReplTestCase {
    /// The prompt comes off the screen while the size changes and back once it has settled, its first row found
    /// from the rows as drawn (the terminal re-wraps them): every message stays, and the prompt is whole at the
    /// bottom. Each resize comes once the prompt was drawn again after the last one. (A message printed in the
    /// instant between wsc learning the size and the terminal changing it again can leave a piece of the old
    /// prompt above it: the erase was counted for the size before. It never erases a message.)
    func testRepeatedResizesWithAWrappedLineWhileMessagesArriveLoseNoMessage() throws {
        let server = try self.startServer("ticker", ["--delay", "0.05"])
        let terminal = try self.startREPL(server.url(), width: 60)
        let typed = String(repeating: "abcdefghij", count: 13)
        try terminal.type(typed)
        try terminal.waitForScreen("the wrapped line") { $0.suffix(3) == Self.rows(of: "> " + typed, width: 60) }
        for width in [45, 30, 70, 25, 50, 35, 80, 40] {
            try terminal.resize(widths: [width])
            let prompt = Self.rows(of: "> " + typed, width: width)
            try terminal.waitForScreen("the prompt drawn \(width) wide") { $0.suffix(prompt.count) == prompt }
        }
        let ticks = server.output.filter { $0.hasPrefix("TICK") }.count
        try terminal.waitForScreen("more ticks") { $0.contains { $0.hasSuffix("< #\(ticks + 5)") } }
        let seen = server.output.filter { $0.hasPrefix("TICK") }.count
        let rows = try terminal.scrollback()
        for tick in 1...seen {
            XCTAssertEqual(rows.filter { $0.hasSuffix("< #\(tick)") }.count, 1, "tick \(tick) once: \(rows)")
        }
        XCTAssertEqual(Array(rows.suffix(4)), Self.rows(of: "> " + typed, width: 40), "the prompt, whole: \(rows)")
        try terminal.press("Enter")
        try server.waitForLine(prefix: "RECEIVED 130")
    }

    /// `text` cut into rows `width` wide.
    private static func rows(of text: String, width: Int) -> [String] {
        stride(from: 0, to: text.count, by: width).map {
            String(text.dropFirst($0).prefix(width))
        }
    }

    /// A slow handshake showed nothing at all until the greeting.
    func testAConnectingLineShowsWhileTheHandshakeRunsAndTheGreetingReplacesIt() throws {
        let server = try self.startServer("slow-accept", ["--delay", "1.5"])
        let terminal = try self.startREPL(server.url(), waitForPrompt: false)
        let connecting = "* connecting to 127.0.0.1:\(server.port)…"
        let row = try terminal.waitForScreen("the connecting line") { $0.count == 1 }
        XCTAssertTrue(Self.isTimestamped(row[0], connecting), "\(row)")
        let rows = try terminal.waitForScreen("the prompt") { $0.last == ">" }
        XCTAssertEqual(rows.count, 2, "the greeting in the connecting line's place, then the prompt: \(rows)")
        XCTAssertTrue(rows[0].contains("* connected to \(server.url())"), "\(rows)")
    }

    /// `TERM=dumb` cannot move the cursor: wsc writes no escape sequence at all, and reprints the prompt and the
    /// half-typed line below each message.
    func testADumbTerminalGetsNoEscapeSequencesAndThePromptIsReprinted() throws {
        let trigger = self.folder.appendingPathComponent("push")
        let server = try self.startServer("push-on-trigger", ["--text", "news", "--trigger", trigger.path])
        let terminal = try self.startREPL(server.url(), waitForPrompt: false, environment: ["TERM=dumb"])
        let recording = self.folder.appendingPathComponent("output")
        try terminal.record(to: recording)
        try terminal.waitForScreen("the prompt") { $0.last == ">" }
        try terminal.type("hello")
        try terminal.waitForScreen("the typed text") { $0.last == "> hello" }
        XCTAssertTrue(FileManager.default.createFile(atPath: trigger.path, contents: Data()))
        let rows = try terminal.waitForScreen("the message") { $0.contains { $0.hasSuffix("< news") } }
        XCTAssertEqual(rows.last, "> hello", "\(rows)")
        try terminal.type(" world")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "< hello world")
        try terminal.press("C-d")
        try terminal.waitForRow(containing: "[tty:")
        let output = try String(contentsOf: recording, encoding: .utf8)
        XCTAssertFalse(output.contains("\u{1B}"), "no escape sequence: \(output.debugDescription)")
        XCTAssertTrue(output.contains("news"), output.debugDescription)
    }
}

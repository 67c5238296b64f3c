import Foundation
import XCTest

/// Whatever a peer chooses that wsc quotes on stderr (a close reason, response headers, a refusal's body, a
/// subprotocol, a redirect's Location) reaches the terminal escaped: no escape sequence (ESC, BEL, the C1 CSI
/// U+009B), no reordering (RLO U+202E), and no line break that could forge a second `wsc: error:` line.
final class EscapingTests: EndToEndTestCase {
    /// ESC [2J clears the screen, ESC ] 0 ; … BEL sets the window title, CSI 31 m turns text red, RLO reverses
    /// what follows, and a CR LF would start a line of the peer's own.
    private static let hostile = "a\u{1B}[2Jb\u{1B}]0;title\u{07}c\u{9B}31md\u{202E}e\r\nwsc: error: forged"
    private static let escaped = "a\\x1b[2Jb\\x1b]0;title\\x07c\\u009b31md\\u202ee\\r\\nwsc: error: forged"

    private func hex(_ text: String) -> String {
        text.utf8.map { String(format: "%02x", $0) }.joined()
    }

    /// Asserts that stderr holds no raw control or reordering character and no forged line.
    private func assertClean(_ result: WSCResult, file: StaticString = #filePath, line: UInt = #line) {
        let raw = result.stderr.unicodeScalars.filter { scalar in
            (scalar.value < 0x20 && scalar != "\n") || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{202E}"
        }
        XCTAssertEqual(raw.count, 0, "raw controls: \(result.stderr.debugDescription)", file: file, line: line)
        XCTAssertFalse(result.stderr.contains("\nwsc: error: forged"), result.stderr, file: file, line: line)
        XCTAssertFalse(result.stderr.hasPrefix("wsc: error: forged"), result.stderr, file: file, line: line)
    }

    func testACloseReasonIsEscapedInPipeAndEchoModes() throws {
        for mode in [[], ["--echo"]] {
            let server = try self.startServer("close", ["--code", "4001", "--reason", Self.hostile])
            let result = try WSCProcess.run(mode + ["-w", "-1", server.url()])
            XCTAssertEqual(result.status, 7, result.stderr)
            self.assertClean(result)
            XCTAssertEqual(
                result.stderr,
                "wsc: error: server closed the connection: 4001 (private code) \"\(Self.escaped)\"\n",
                "\(mode)"
            )
        }
    }

    func testACloseReasonIsEscapedByAPipeStyleListener() throws {
        let listener = try self.startListener([])
        let payload = "0fa1" + self.hex(Self.hostile)
        let frame = String(format: "88%02x00000000", 0x80 | (payload.count / 2)) + payload
        _ = try self.runPeerClient("raw_client.py", ["\(listener.port)", "--send", frame])
        try listener.waitForStatus("client closed the connection: 4001 (private code) \"\(Self.escaped)\"")
        let result = listener.stop()
        self.assertClean(result)
    }

    func testVerboseShowsARefusalsBodyAndHeadersEscapedLineByLine() throws {
        let body = "first \u{1B}[31mred\r\n" + Self.hostile
        let server = try self.startRawServer([
            "--status", "403 Forbidden", "--header", "X-Evil: \u{9B}31m\u{202E}evil",
            "--header", "Content-Length: \(body.utf8.count)", "--send", self.hex(body),
        ])
        let result = try WSCProcess.run(["-v", "-x", "hi", server.url()])
        XCTAssertEqual(result.status, 4, result.stderr)
        self.assertClean(result)
        XCTAssertTrue(result.errorLines.contains("< X-Evil: \\u009b31m\\u202eevil"), result.stderr)
        XCTAssertTrue(result.errorLines.contains("< first \\x1b[31mred"), result.stderr)
        XCTAssertTrue(result.errorLines.contains("< a\\x1b[2Jb\\x1b]0;title\\x07c\\u009b31md\\u202ee"), result.stderr)
        XCTAssertTrue(result.errorLines.contains("< wsc: error: forged"), result.stderr)
        XCTAssertEqual(result.errorLines.last, "wsc: error: server refused the upgrade: HTTP/1.1 403 Forbidden")
    }

    func testAnUnofferedSubprotocolIsEscaped() throws {
        let server = try self.startRawServer(["--header", "Sec-WebSocket-Protocol: x\u{9B}31m\u{202E}y"])
        let result = try WSCProcess.run(["-s", "chat", "-x", "hi", server.url()])
        XCTAssertEqual(result.status, 4, result.stderr)
        self.assertClean(result)
        self.assertOneErrorLine(result, contains: "server selected subprotocol 'x\\u009b31m\\u202ey'")
    }

    func testAnExtensionParameterIsEscaped() throws {
        let server = try self.startRawServer([
            "--header", "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=\"1\u{9B}\u{202E}\"",
        ])
        let result = try WSCProcess.run(["-x", "hi", server.url()])
        XCTAssertEqual(result.status, 4, result.stderr)
        self.assertClean(result)
        self.assertOneErrorLine(result, contains: "quoted value \"1\\u009b\\u202e\" is not a token")
    }

    func testARedirectLocationIsEscaped() throws {
        let server = try self.startRawServer([
            "--status", "302 Found", "--header", "Location: /\u{9B}2J\u{202E}x", "--header", "Content-Length: 0",
        ])
        let result = try WSCProcess.run(["-x", "hi", server.url()])
        XCTAssertEqual(result.status, 4, result.stderr)
        self.assertClean(result)
        self.assertOneErrorLine(result, contains: "(a redirect to /\\u009b2J\\u202ex: -L follows it)")
    }

    /// What wsc wrote to a pseudo-terminal as its stdout (stdin a file, so pipe mode), with the terminal's
    /// CR LF turned back into LF.
    private func terminalOutput(_ arguments: [String]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wsc-pty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let saved = folder.appendingPathComponent("output")
        let (lines, status) = try self.runPeerClient(
            "stdio_harness.py",
            ["--pty-stdout", "--save", saved.path, "--", TestPaths.wsc.path] + arguments
        )
        XCTAssertEqual(status, 0)
        XCTAssertTrue(lines.contains("STATUS 0"), "\(lines)")
        let text = String(decoding: try Data(contentsOf: saved), as: UTF8.self)
        return text.replacingOccurrences(of: "\r\n", with: "\n")
    }

    func testMessagesToATerminalAreEscapedAndRawToAPipe() throws {
        let server = try self.startServer()
        let text = try self.terminalOutput(["-x", Self.hostile, "-w", "0.3", server.url()])
        XCTAssertEqual(text, Self.escaped + "\n", "the REPL's escapes on a terminal")
        let binary = try self.terminalOutput(["--binary", "-x", "a\u{1B}[2J\\\u{7F}", "-w", "0.3", server.url()])
        XCTAssertEqual(binary, "a\\x1b[2J\\x5c\\x7f\n", "binary bytes outside printable ASCII as \\xNN")
        let piped = try WSCProcess.run(["-x", Self.hostile, "-w", "0.3", server.url()])
        XCTAssertEqual(piped.output, Self.hostile + "\n", "raw stays raw in a pipe")
    }

    func testJSONLinesToATerminalEscapeC1BidiAndDelete() throws {
        let server = try self.startServer()
        let text = try self.terminalOutput([
            "--format", "jsonl", "-x", "a\u{9B}b\u{202E}c\u{7F}d\u{1B}é", "-w", "0.3", server.url(),
        ])
        XCTAssertEqual(text, "{\"type\":\"text\",\"data\":\"a\\u009bb\\u202ec\\u007fd\\u001bé\"}\n")
        let decoded = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        XCTAssertEqual(decoded?["data"], "a\u{9B}b\u{202E}c\u{7F}d\u{1B}é", "the same text, escaped")
    }
}

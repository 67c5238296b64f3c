import Foundation
import XCTest

/// The interactive front end in a real pseudo-terminal (tmux), against real `websockets` servers: what a person
/// sees on the screen, and that the terminal is left as it was found.
final class ReplTests: ReplTestCase {
    // MARK: - Messages

    func testReceivedMessageIsShownWithItsLocalTime() throws {
        let server = try self.startServer("push", ["--text", "hello from the server", "--delay", "0.2"])
        let terminal = try self.startREPL(server.url())
        let row = try terminal.waitForRow(containing: "< hello from the server")
        let rows = try terminal.screen()
        XCTAssertTrue(Self.isTimestamped(rows[row], "< hello from the server"), rows[row])
    }

    func testMessageArrivingWhileTypingGoesAboveAndThePromptLineStaysIntact() throws {
        let trigger = self.folder.appendingPathComponent("push")
        let server = try self.startServer("push-on-trigger", ["--text", "news flash", "--trigger", trigger.path])
        let terminal = try self.startREPL(server.url())
        try terminal.type("hello wor")
        try terminal.waitForScreen("the typed text") { $0.last == "> hello wor" }
        try terminal.press("Left", "Left", "Left")
        try terminal.waitForScreen("the cursor moved back") { _ in (try? terminal.cursor().column) == 8 }

        XCTAssertTrue(FileManager.default.createFile(atPath: trigger.path, contents: Data()))
        let rows = try terminal.waitForScreen("the pushed message") { $0.contains { $0.hasSuffix("< news flash") } }
        let messageRow = rows.lastIndex { $0.hasSuffix("< news flash") }!
        XCTAssertTrue(Self.isTimestamped(rows[messageRow], "< news flash"), rows[messageRow])
        XCTAssertEqual(rows.count - 1, messageRow + 1, "the prompt is the row right below the message: \(rows)")
        XCTAssertEqual(rows.last, "> hello wor")
        let cursor = try terminal.cursor()
        XCTAssertEqual(cursor.row, rows.count - 1)
        XCTAssertEqual(cursor.column, 8, "the cursor is where it was in the line")

        try terminal.press("End")
        try terminal.type("ld")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "< hello world")
        let after = try terminal.screen()
        let sent = try XCTUnwrap(after.firstIndex { $0.hasSuffix("> hello world") }, "\(after)")
        XCTAssertTrue(Self.isTimestamped(after[sent], "> hello world"), after[sent])
        XCTAssertTrue(after.contains { Self.isTimestamped($0, "< hello world") }, "the server echoed it: \(after)")
        XCTAssertEqual(after.last, ">")
    }

    func testFormatOnATerminalPrintsForProgramsInsteadOfTheREPL() throws {
        let server = try self.startServer()
        let terminal = try self.startREPL(server.url(), ["--format", "jsonl", "-w", "0.2"], waitForPrompt: false)
        try terminal.type("typed line")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: #"{"type":"text","data":"typed line"}"#)
        try terminal.press("C-d")
        let rows = try terminal.waitForScreen("wsc exiting") { $0.contains("[wsc exited 0]") }
        XCTAssertEqual(
            rows.prefix(2),
            ["typed line", #"{"type":"text","data":"typed line"}"#],
            "the terminal's own echo, then the JSON line: no prompt, no timestamps"
        )
    }

    func testEnterSendsTheLineAndAnEmptyLineSendsNothing() throws {
        let server = try self.startServer("echo")
        let terminal = try self.startREPL(server.url())
        try terminal.type("first")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "< first")
        try terminal.press("Enter")
        try terminal.type("second")
        try terminal.press("Enter")
        let rows = try terminal.waitForScreen("the second echo") { $0.contains { $0.hasSuffix("< second") } }
        let transcript = rows.filter { $0.prefixMatch(of: #/\d\d:\d\d:\d\d\.\d{3} [<>] /#) != nil }.map {
            String($0.dropFirst(13))
        }
        XCTAssertEqual(transcript, ["> first", "< first", "> second", "< second"])
    }

    func testFirstLineSaysWhereItIsConnectedWhatWasAgreedAndHowToLeave() throws {
        let server = try WSCListener(["--echo", "-s", "chat"])
        defer { _ = server.stop() }
        let terminal = try self.startREPL(server.url, ["-s", "chat"], width: 160)
        let rows = try terminal.screen()
        let greeting =
            "* connected to \(server.url) (subprotocol chat, permessage-deflate); /help for help, Ctrl-D to quit"
        XCTAssertTrue(Self.isTimestamped(rows.first ?? "", greeting), "\(rows)")
        XCTAssertEqual(rows.count, 2, "the greeting, then the prompt: \(rows)")
    }

    func testPingGetsAPongLineWithTheRoundTripTime() throws {
        let server = try self.startServer("echo")
        let terminal = try self.startREPL(server.url())
        try terminal.type("/ping are you there")
        try terminal.press("Enter")
        let row = try terminal.waitForRow(containing: "< pong \"are you there\"")
        let rows = try terminal.screen()
        let pong = #/\d\d:\d\d:\d\d\.\d{3} < pong "are you there" \d+\.\d ms/#
        XCTAssertNotNil(rows[row].wholeMatch(of: pong), "the round trip follows the pong: \(rows[row])")
        XCTAssertTrue(rows.contains { $0.hasSuffix("> ping \"are you there\"") }, "\(rows)")
    }

    func testKeepalivePongsStayOffTheScreenTheUsersPongShows() throws {
        let server = try self.startRawServer(["--answer-pings", "--answer-close"])
        let terminal = try self.startREPL(server.url(), ["--ping-interval", "0.05"])
        // Three keepalive pings, each answered before the next goes out.
        try server.waitForLine(prefix: "FRAME 9", count: 3)
        try terminal.type("/ping mine")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "< pong \"mine\"")
        let rows = try terminal.screen()
        XCTAssertEqual(rows.filter { $0.contains("pong") }.count, 1, "only the /ping's pong: \(rows)")
    }

    func testBinaryMessagesArePrintedAsAHexDumpAndControlCharactersCannotDriveTheTerminal() throws {
        let server = try self.startServer("fragments")
        let terminal = try self.startREPL(server.url())
        try terminal.waitForRow(containing: "< done")
        let rows = try terminal.screen()
        XCTAssertTrue(rows.contains { $0.hasSuffix("< fragmented") }, "\(rows)")
        XCTAssertTrue(rows.contains { $0.hasSuffix("< ping \"are you there\"") }, "\(rows)")
        XCTAssertTrue(rows.contains { $0.hasSuffix("< binary 256 bytes") }, "\(rows)")
        XCTAssertTrue(
            rows.contains {
                $0.hasSuffix("00000010  10 11 12 13 14 15 16 17  18 19 1a 1b 1c 1d 1e 1f  |................|")
            },
            "\(rows)"
        )
        XCTAssertTrue(rows.contains { $0.hasSuffix("… 128 more bytes") }, "\(rows)")

        let hostile = try self.startServer("push", ["--text", "before\u{1B}[2J\u{1B}[Hafter\u{07}", "--delay", "0.2"])
        let second = try self.startREPL(hostile.url())
        let row = try second.waitForRow(containing: "after")
        let screen = try second.screen()
        XCTAssertTrue(screen[row].hasSuffix("< before\\x1b[2J\\x1b[Hafter\\x07"), screen[row])
        XCTAssertTrue(screen.first?.isEmpty == false, "nothing cleared the screen: \(screen)")
    }

    // MARK: - Commands

    func testUnknownCommandsAndBadCloseCodesSendNothing() throws {
        let server = try self.startServer("echo")
        let terminal = try self.startREPL(server.url())
        try terminal.type("/frobnicate")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "! unknown command /frobnicate (see /help")
        try terminal.type("/close 999 nope")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "! /close: '999' is not a close code; use a number from 1000 to 4999")
        try terminal.type("//frobnicate")
        try terminal.press("Enter")
        let rows = try terminal.waitForScreen("the echo") { $0.contains { $0.hasSuffix("< /frobnicate") } }
        XCTAssertFalse(rows.contains { $0.contains("> /close") || $0.contains("< /close") }, "\(rows)")
        XCTAssertEqual(
            rows.filter { $0.contains("> ") && !$0.hasPrefix(">") }.count,
            1,
            "only //frobnicate was sent: \(rows)"
        )
        XCTAssertEqual(rows.last, ">")
    }

    func testCloseWithCodeAndReasonEndsWithTheCloseLine() throws {
        let server = try self.startServer("echo")
        let terminal = try self.startREPL(server.url())
        try terminal.type("/close 4000 bye")
        try terminal.press("Enter")
        let rows = try terminal.waitForScreen("the end") { $0.contains { $0.hasPrefix("[tty:") } }
        XCTAssertTrue(rows.contains { Self.isTimestamped($0, "> close 4000 (private code) bye") }, "\(rows)")
        XCTAssertTrue(rows.contains { Self.isTimestamped($0, "* closed: 4000 (private code) bye") }, "\(rows)")
        XCTAssertTrue(rows.contains("[tty: icanon echo ]"), "the terminal is back in its own modes: \(rows)")
    }

    func testServerCloseIsShownWithWhoClosedTheCodeAndTheReason() throws {
        let server = try self.startServer("close", ["--code", "4001", "--reason", "maintenance"])
        let terminal = try self.startREPL(server.url(), waitForPrompt: false)
        let rows = try terminal.waitForScreen("the end") { $0.contains { $0.hasPrefix("[tty:") } }
        XCTAssertTrue(
            rows.contains { Self.isTimestamped($0, "* server closed: 4001 (private code) maintenance") },
            "\(rows)"
        )
        XCTAssertTrue(rows.contains("[tty: icanon echo ]"), "\(rows)")
    }

    // MARK: - Leaving

    func testCtrlDClosesNormallyAndRestoresTheTerminal() throws {
        let server = try self.startServer("echo")
        let terminal = try self.startREPL(server.url())
        try terminal.press("C-d")
        let rows = try terminal.waitForScreen("the end") { $0.contains { $0.hasPrefix("[tty:") } }
        XCTAssertTrue(rows.contains { Self.isTimestamped($0, "> close 1000 (normal closure)") }, "\(rows)")
        XCTAssertTrue(rows.contains { Self.isTimestamped($0, "* closed: 1000 (normal closure)") }, "\(rows)")
        XCTAssertTrue(rows.contains("[wsc exited 0]"), "\(rows)")
        XCTAssertTrue(rows.contains("[tty: icanon echo ]"), "\(rows)")
        XCTAssertFalse(rows.contains { $0.contains("^D") }, "the echoed ^D was erased: \(rows)")
    }

    func testCtrlCClearsATypedLineAndClosesOnAnEmptyOne() throws {
        let server = try self.startServer("echo")
        let terminal = try self.startREPL(server.url())
        try terminal.type("draft")
        try terminal.waitForScreen("the draft") { $0.last == "> draft" }
        try terminal.press("C-c")
        try terminal.waitForScreen("an empty prompt") { $0.last == ">" }
        XCTAssertEqual(try terminal.cursor().column, 2)
        try terminal.press("C-c")
        let rows = try terminal.waitForScreen("the end") { $0.contains { $0.hasPrefix("[tty:") } }
        XCTAssertFalse(rows.contains { $0.contains("draft") }, "the draft was neither sent nor left: \(rows)")
        XCTAssertTrue(rows.contains { Self.isTimestamped($0, "* closed: 1000 (normal closure)") }, "\(rows)")
        XCTAssertTrue(rows.contains("[tty: icanon echo ]"), "\(rows)")
    }

    func testSIGTERMClosesGoingAwayAndRestoresTheTerminal() throws {
        let server = try self.startServer("echo")
        let terminal = try self.startREPL(server.url())
        try terminal.type("half typed")
        try terminal.waitForScreen("the typed text") { $0.last == "> half typed" }
        let wsc = try self.childProcess(of: terminal.panePID())
        XCTAssertEqual(Foundation.kill(wsc, SIGTERM), 0)
        let rows = try terminal.waitForScreen("the end") { $0.contains { $0.hasPrefix("[tty:") } }
        XCTAssertTrue(rows.contains { Self.isTimestamped($0, "* closed: 1001 (going away)") }, "\(rows)")
        XCTAssertTrue(rows.contains("[wsc exited 130]"), "a signal's status, as in every mode: \(rows)")
        XCTAssertTrue(rows.contains("[tty: icanon echo ]"), "\(rows)")
    }

    func testSIGHUPClosesGoingAwayAndRestoresTheTerminal() throws {
        let server = try self.startRawServer(["--answer-close"])
        let terminal = try self.startREPL(server.url())
        let wsc = try self.childProcess(of: terminal.panePID())
        XCTAssertEqual(Foundation.kill(wsc, SIGHUP), 0)
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1001 ")
        let rows = try terminal.waitForScreen("the end") { $0.contains { $0.hasPrefix("[tty:") } }
        XCTAssertTrue(rows.contains("[wsc exited 130]"), "\(rows)")
        XCTAssertTrue(rows.contains("[tty: icanon echo ]"), "\(rows)")
    }

    func testCtrlBackslashClosesGoingAwayAndRestoresTheTerminal() throws {
        let server = try self.startRawServer(["--answer-close"])
        let terminal = try self.startREPL(server.url())
        try terminal.type("half typed")
        try terminal.press("C-\\")
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1001 ")
        let rows = try terminal.waitForScreen("the end") { $0.contains { $0.hasPrefix("[tty:") } }
        XCTAssertTrue(rows.contains("[wsc exited 130]"), "\(rows)")
        XCTAssertTrue(rows.contains("[tty: icanon echo ]"), "\(rows)")
    }

    /// `wsc URL &` then `fg` in a shell with job control: the shell gives the terminal its own modes back, and
    /// the prompt takes its raw mode again, so editing keys work and Ctrl-D quits.
    func testAREPLStartedInTheBackgroundWorksOnceBroughtToTheForeground() throws {
        let server = try self.startRawServer(["--answer-close"])
        let command = "\(Self.quoted(TestPaths.wsc.path)) \(server.url()) &"
        let terminal = try TmuxSession(
            command:
                "env LANG=C.UTF-8 XDG_STATE_HOME=\(Self.quoted(self.folder.path)) PS1='$ ' bash --norc --noprofile -i"
        )
        self.addTeardownBlock { terminal.kill() }
        try terminal.waitForScreen("the shell's prompt") { $0.last == "$" }
        try terminal.type(command)
        try terminal.press("Enter")
        try server.waitForLine(prefix: "CONNECTED")
        try terminal.type("fg")
        try terminal.press("Enter")
        try terminal.waitForScreen("the prompt") { $0.last == ">" }
        try terminal.type("abc")
        try terminal.press("Left")
        try terminal.type("X")
        try terminal.press("Enter")
        XCTAssertEqual(try server.waitForLine(prefix: "FRAME"), "FRAME 1 4 61625863", "edited as typed: abXc")
        try terminal.press("C-d")
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1000 ")
        try terminal.waitForScreen("the shell's prompt again") { $0.last == "$" }
    }

    func testASecondCtrlCStopsWaitingForAServerThatNeverAnswersTheClose() throws {
        let server = try self.startRawServer()
        let terminal = try self.startREPL(server.url(), ["--close-timeout", "60"])
        try terminal.press("C-d")
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1000 ")
        try terminal.waitForRow(containing: "> close 1000 (normal closure)")
        try terminal.press("C-c")
        let rows = try terminal.waitForScreen("the end") { $0.contains { $0.hasPrefix("[tty:") } }
        XCTAssertTrue(rows.contains { Self.isTimestamped($0, "* stopped waiting for the server to close") }, "\(rows)")
        XCTAssertTrue(rows.contains("[wsc exited 130]"), "\(rows)")
        XCTAssertTrue(rows.contains("[tty: icanon echo ]"), "\(rows)")
    }

    func testACloseTheServerNeverAnswersIsReportedAfterTheTimeout() throws {
        let server = try self.startRawServer()
        let terminal = try self.startREPL(server.url(), ["--close-timeout", "0.5"])
        try terminal.type("/close 4000 done")
        try terminal.press("Enter")
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 4000 done")
        let row = try terminal.waitForRow(containing: "(the server did not answer the close)")
        let rows = try terminal.screen()
        XCTAssertTrue(
            Self.isTimestamped(rows[row], "* closed: 4000 (private code) done (the server did not answer the close)"),
            rows[row]
        )
    }

    func testAProtocolErrorIsShownAsOne() throws {
        // A text frame whose payload is not UTF-8 (0xC3 0x28).
        let server = try self.startRawServer(["--answer-close", "--send", "8102c328"])
        let terminal = try self.startREPL(server.url(), width: 160, waitForPrompt: false)
        let row = try terminal.waitForRow(containing: "! protocol error: ")
        let rows = try terminal.screen()
        XCTAssertTrue(rows[row].hasSuffix("; closed with 1007 (invalid payload data)"), rows[row])
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1007 ")
    }

    func testADroppedConnectionIsShown() throws {
        let server = try self.startRawServer(["--drop-after", "0.3"])
        let terminal = try self.startREPL(server.url())
        try terminal.waitForRow(containing: "* connection lost: 1006 (abnormal closure)")
        let rows = try terminal.waitForScreen("the end") { $0.contains { $0.hasPrefix("[tty:") } }
        XCTAssertTrue(rows.contains("[tty: icanon echo ]"), "\(rows)")
    }

    func testAMessageArrivingWhileAWrappedLineIsEditedKeepsEveryRowOfIt() throws {
        let trigger = self.folder.appendingPathComponent("push")
        let server = try self.startServer("push-on-trigger", ["--text", "news", "--trigger", trigger.path])
        let terminal = try self.startREPL(server.url(), width: 40)
        let typed = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
        try terminal.type(typed)
        try terminal.waitForScreen("the wrapped line") {
            $0.suffix(2) == ["> " + typed.prefix(38), String(typed.dropFirst(38))]
        }
        for _ in 0..<40 {
            try terminal.press("Left")
        }
        let before = try terminal.waitForScreen("the cursor on the first row") { _ in
            (try? terminal.cursor().column) == 24
        }
        XCTAssertTrue(FileManager.default.createFile(atPath: trigger.path, contents: Data()))
        let rows = try terminal.waitForScreen("the pushed message") { $0.contains { $0.hasSuffix("< news") } }
        XCTAssertEqual(rows.count, before.count + 1, "one row more, the message's: \(rows)")
        XCTAssertTrue(Self.isTimestamped(rows[rows.count - 3], "< news"), "\(rows)")
        XCTAssertEqual(Array(rows.suffix(2)), ["> " + typed.prefix(38), String(typed.dropFirst(38))])
        let cursor = try terminal.cursor()
        XCTAssertEqual(cursor.column, 24)
        XCTAssertEqual(cursor.row, rows.count - 2)
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "< " + typed.prefix(20))
    }

    /// Emoji and Hangul take two columns each, as the C library's `wcwidth` and libedit count them: a line of
    /// them wrapped at 20 columns keeps every row, and the cursor its place, when a message is printed above.
    func testAMessageArrivingWhileAWideCharacterLineWrapsKeepsEveryRowOfIt() throws {
        let trigger = self.folder.appendingPathComponent("push")
        let server = try self.startServer("push-on-trigger", ["--text", "news", "--trigger", trigger.path])
        let terminal = try self.startREPL(server.url(), width: 20)
        let rockets = String(repeating: "🚀", count: 12)
        let hangul = String(repeating: "한", count: 4)
        try terminal.type(rockets + hangul)
        let firstRow = "> " + String(repeating: "🚀", count: 9)
        let secondRow = String(repeating: "🚀", count: 3) + hangul
        try terminal.waitForScreen("the wrapped line") { $0.suffix(2) == [firstRow, secondRow] }
        try terminal.press("Left", "Left", "Left", "Left", "Left")
        try terminal.waitForScreen("the cursor moved back") { _ in (try? terminal.cursor().column) == 4 }
        let before = try terminal.screen()
        XCTAssertTrue(FileManager.default.createFile(atPath: trigger.path, contents: Data()))
        let rows = try terminal.waitForScreen("the pushed message") { $0.contains { $0.hasSuffix("< news") } }
        XCTAssertEqual(rows.count, before.count + 1, "one row more, the message's: \(rows)")
        XCTAssertEqual(Array(rows.suffix(2)), [firstRow, secondRow])
        let cursor = try terminal.cursor()
        XCTAssertEqual(cursor.column, 4)
        XCTAssertEqual(cursor.row, rows.count - 1)
        try terminal.type("x")
        try terminal.press("Enter")
        // The echo, wrapped like the line: its rows joined are the line as edited.
        let echoed = "< " + String(repeating: "🚀", count: 11) + "x🚀" + hangul
        try terminal.waitForScreen("the echo") { $0.joined().contains(echoed) }
    }

    // MARK: - History

    func testEnteredLinesAreKeptInTheHistoryFileAndRecalledWithUp() throws {
        let server = try self.startServer("echo")
        let terminal = try self.startREPL(server.url(), runs: 2)
        try terminal.type("remember me")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "< remember me")
        try terminal.press("C-d")
        try terminal.waitForRow(containing: "[wsc exited 0]")
        try terminal.waitForScreen("the second prompt") { $0.last == ">" }
        try terminal.press("Up")
        try terminal.waitForScreen("the recalled line") { $0.last == "> remember me" }
        try terminal.press("C-u", "C-d")
        try terminal.waitForScreen("the end") { $0.contains { $0.hasPrefix("[tty:") } }
        let history = try String(contentsOf: self.folder.appendingPathComponent("wsc/history"), encoding: .utf8)
        XCTAssertEqual(history, "remember me\n")
    }

    /// Function keys, Insert and Page Up/Down type nothing (they used to insert "~" and "4~"); Alt and Shift
    /// with the arrows move by word and by character.
    func testKeysWithoutAMeaningTypeNothingAndModifiedArrowsMove() throws {
        let server = try self.startServer("echo")
        let terminal = try self.startREPL(server.url())
        try terminal.type("ab")
        try terminal.press("F1", "F5", "F12", "IC", "PPage", "NPage", "C-DC")
        try terminal.type("c one two")
        try terminal.press("M-Left")
        try terminal.type("X")
        try terminal.press("S-Left", "S-Left")
        try terminal.type("Y")
        try terminal.waitForScreen("the edited line") { $0.last == "> abc oneY Xtwo" }
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "< abc oneY Xtwo")
    }

    /// A line half typed when the session ends (here by SIGTERM) is not lost: the transcript says where it went,
    /// and the next session recalls it with Up.
    func testAHalfTypedLineIsKeptInTheHistoryWhenTheSessionEnds() throws {
        let server = try self.startServer("echo")
        let terminal = try self.startREPL(server.url(), runs: 2)
        try terminal.type("half typed draft")
        try terminal.waitForScreen("the typed text") { $0.last == "> half typed draft" }
        XCTAssertEqual(Foundation.kill(try self.childProcess(of: terminal.panePID()), SIGTERM), 0)
        try terminal.waitForRow(containing: "[wsc exited 130]")
        let rows = try terminal.screen()
        XCTAssertTrue(
            rows.contains { Self.isTimestamped($0, "* not sent, kept in the history: half typed draft") },
            "\(rows)"
        )
        try terminal.waitForScreen("the second prompt") { $0.last == ">" }
        try terminal.press("Up")
        try terminal.waitForScreen("the recalled line") { $0.last == "> half typed draft" }
        try terminal.press("C-u", "C-d")
        try terminal.waitForScreen("the end") { $0.contains { $0.hasPrefix("[tty:") } }
    }

    // MARK: - Listen

    func testListenShowsWhatAClientSendsAndSendsItTypedLinesThenCtrlDClosesWith1001() throws {
        let port = try ClosedPort.find()
        let terminal = try self.startREPL("127.0.0.1:\(port)", ["--listen"], width: 120)
        // The client prints its own port as PORT: wsc names it by that address.
        let client = try self.startPeer("ws_chat_client.py", ["ws://127.0.0.1:\(port)/", "--text", "hi from python"])
        let address = "127.0.0.1:\(client.port)"
        let row = try terminal.waitForRow(containing: "\(address) < hi from python")
        var rows = try terminal.screen()
        XCTAssertTrue(Self.isTimestamped(rows[row], "\(address) < hi from python"), rows[row])
        XCTAssertTrue(rows.contains { Self.isTimestamped($0, "\(address) * connected (compressed)") }, "\(rows)")

        try terminal.type("hello client")
        try terminal.press("Enter")
        XCTAssertEqual(try client.waitForLine(prefix: "RECEIVED"), "RECEIVED hello client")
        rows = try terminal.waitForScreen("the sent line") {
            $0.contains { $0.hasSuffix("> hello client (to 1 client)") }
        }
        XCTAssertTrue(rows.contains { Self.isTimestamped($0, "> hello client (to 1 client)") }, "\(rows)")

        try terminal.press("C-d")
        rows = try terminal.waitForScreen("the end") { $0.contains { $0.hasPrefix("[tty:") } }
        XCTAssertEqual(try client.waitForLine(prefix: "CLOSED"), "CLOSED 1001")
        XCTAssertTrue(rows.contains { Self.isTimestamped($0, "\(address) * closed: 1001 (going away)") }, "\(rows)")
        XCTAssertTrue(rows.contains("[wsc exited 0]"), "\(rows)")
        XCTAssertTrue(rows.contains("[tty: icanon echo ]"), "\(rows)")
    }

    func testListenSaysWhenNoClientIsConnectedAndCloseClosesClientsWhileServingOn() throws {
        let port = try ClosedPort.find()
        let terminal = try self.startREPL("127.0.0.1:\(port)", ["--no-compression", "--listen"], width: 120)
        try terminal.type("anyone there")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "! not sent: no client is connected")

        let client = try self.startPeer("ws_chat_client.py", ["ws://127.0.0.1:\(port)/"])
        let address = "127.0.0.1:\(client.port)"
        try terminal.waitForRow(containing: "\(address) * connected")
        try terminal.type("/close 4000 bye")
        try terminal.press("Enter")
        XCTAssertEqual(try client.waitForLine(prefix: "CLOSED"), "CLOSED 4000")
        let rows = try terminal.waitForScreen("the client's close line") {
            $0.contains { $0.hasSuffix("\(address) * closed: 4000 (private code) bye") }
        }
        XCTAssertTrue(
            rows.contains { Self.isTimestamped($0, "> close 4000 (private code) bye (to 1 client)") },
            "\(rows)"
        )
        XCTAssertEqual(rows.last, ">", "still serving: \(rows)")

        try terminal.press("C-c")
        let end = try terminal.waitForScreen("the end") { $0.contains { $0.hasPrefix("[tty:") } }
        XCTAssertTrue(end.contains("[wsc exited 0]"), "\(end)")
        XCTAssertTrue(end.contains("[tty: icanon echo ]"), "\(end)")
    }
}

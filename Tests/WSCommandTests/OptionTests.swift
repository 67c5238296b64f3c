import ArgumentParser
import WSEngine
import XCTest

@testable import WSCommand

final class OptionTests: XCTestCase {
    func testHeaderLines() {
        XCTAssertEqual(
            HeaderField(headerLine: "X-A:  spaced value \t"),
            HeaderField(name: "X-A", value: "spaced value")
        )
        XCTAssertEqual(HeaderField(headerLine: "Empty:"), HeaderField(name: "Empty", value: ""))
        XCTAssertEqual(HeaderField(headerLine: "A: b: c"), HeaderField(name: "A", value: "b: c"))
        XCTAssertNil(HeaderField(headerLine: "no colon"))
    }

    /// What HTTP cannot carry is refused while the plan is resolved, naming the option and the character, in one line.
    func testRequestFieldsFollowHTTPsGrammar() {
        let refused: [([String], String)] = [
            (["-H", ": no name"], "-H ': no name' has no header name"),
            (["-H", "Bad Name: x"], "-H 'Bad Name' has ' '"),
            (["-H", "Ünicode: x"], "-H 'Ünicode' has 'Ü'"),
            (["-H", "X: a\r\nInjected: y"], "-H 'X' has the control character '\\r'"),
            (["-H", "X: a\u{9B}b", "-H", "Y: \u{0}"], "-H 'Y' has the control character '\\x00'"),
            (["-H", "Transfer-Encoding: chunked"], "has no body"),
            (["-H", "Origin: a", "-H", "ORIGIN: b"], "-H 'ORIGIN' is given twice"),
            (["--origin", "o\t"], "--origin starts or ends with white space"),
            (["-s", ""], "an empty one cannot be offered"),
            (["-s", "chat/1"], "-s 'chat/1' has '/'"),
            (["--auth", "u\u{7F}:p"], "--auth: the user name has the control character '\\x7f'"),
            (["--proxy", "http://u:%1B@p"], "--proxy: the password has the control character '\\x1b'"),
        ]
        for (arguments, message) in refused {
            XCTAssertThrowsError(try PlanFixture.plan(arguments + ["ws://h/"]), "\(arguments)") {
                let text = RootCommand.message(for: $0)
                XCTAssertTrue(text.contains(message), "\(arguments): \(text)")
                XCTAssertFalse(text.contains("\n") || text.contains("\r"), text)
            }
        }
        XCTAssertThrowsError(try PlanFixture.plan(["ws://u:p%0D@h/"])) {
            XCTAssertTrue(RootCommand.message(for: $0).contains("the URL: the password has"), "\($0)")
        }
        XCTAssertThrowsError(try PlanFixture.plan(["-l", "0", "-s", "a\r\nb"]), "-s goes into the 101 too")
        for accepted in [
            ["-H", "Host: h2", "-H", "User-Agent: u", "-H", "X-Utf8: é \t x", "-H", "Empty:"],
            ["--no-compression", "-H", "Sec-WebSocket-Extensions: x"], ["-H", "X-A: 1", "-H", "x-a: 2"],
            ["-s", "chat.v1", "-s", "!#$%&'*+-.^_`|~"], ["--origin", "http://ö.example"],
        ] {
            XCTAssertNoThrow(try PlanFixture.plan(accepted + ["ws://h/"]), "\(accepted)")
        }
    }

    func testByteCounts() {
        XCTAssertEqual(ByteCount(argument: "123")?.bytes, 123)
        XCTAssertEqual(ByteCount(argument: "64k")?.bytes, 65536)
        XCTAssertEqual(ByteCount(argument: "16M")?.bytes, 16 << 20)
        XCTAssertEqual(ByteCount(argument: "1G")?.bytes, 1 << 30)
        XCTAssertEqual(ByteCount(argument: "-1")?.bytes, -1, "a number, refused by its range")
        XCTAssertEqual(ByteCount(argument: "9000000000000G")?.bytes, Int.max)
        for bad in ["", "M", "1.5M", "lots", "1e3"] {
            XCTAssertNil(ByteCount(argument: bad), bad)
        }
    }

    /// Every number option refuses what is outside its range with one line naming the option and the range,
    /// before anything else runs; `-1` is a value, not an unknown option.
    func testNumberOptionsStayInTheirRanges() {
        let refused: [(String, String, String)] = [
            ("--ping-timeout", "1e19", "--ping-timeout takes 0.001 to"),
            ("--connect-timeout", "1e19", "--connect-timeout takes 0.001 to 31536000 seconds (a year); got 1e+19"),
            ("--close-timeout", "1e19", "--close-timeout takes 0.001 to 31536000 seconds (a year); got 1e+19"),
            ("--close-timeout", "0.0001", "--close-timeout takes 0.001 to"),
            ("--ping-interval", "1e308", "--ping-interval takes 0.05 to 31536000 seconds (a year); got 1e+308"),
            ("--ping-interval", "1e-9", "--ping-interval takes 0.05 to"),
            ("--ping-interval", "-1", "--ping-interval takes 0.05 to"),
            ("--ping-interval", "inf", "got inf"),
            ("-w", "1e19", "--wait takes 0 to 31536000 seconds (a year), or -1"),
            ("-w", "nan", "--wait takes"),
            ("--max-message-size", "-1", "--max-message-size takes 1 to 4294967295 bytes; got -1"),
            ("--max-message-size", "0", "--max-message-size takes 1 to 4294967295 bytes; got 0"),
            ("--max-message-size", "4G", "got 4294967296"),
            ("--max-redirs", "-1", "--max-redirs takes 0 to 1000 redirects; got -1"),
        ]
        for (option, value, message) in refused {
            let arguments = [option, value, "ws://h/"]
            XCTAssertThrowsError(try RootCommand.parseAsRoot(arguments), "\(arguments)") {
                let text = RootCommand.message(for: $0)
                XCTAssertTrue(text.contains(message), "\(arguments): \(text)")
                XCTAssertFalse(text.contains("\n"), text)
            }
        }
        for (option, value) in [
            ("--connect-timeout", "0.001"), ("--close-timeout", "31536000"), ("--ping-interval", "0.05"),
            ("--ping-timeout", "0.001"), ("-w", "0"), ("-w", "-1"), ("--max-message-size", "3G"), ("--max-redirs", "0"),
        ] {
            let pings = option == "--ping-timeout" ? ["--ping-interval", "1"] : []
            XCTAssertNoThrow(try RootCommand.parseAsRoot(pings + [option, value, "ws://h/"]), "\(option) \(value)")
        }
    }

    func testColorDecision() throws {
        let auto = try XCTUnwrap(try RootCommand.parseAsRoot(["ws://h/"]) as? RootCommand)
        XCTAssertTrue(auto.usesColor(onTerminal: true, environment: [:]))
        XCTAssertFalse(auto.usesColor(onTerminal: false, environment: [:]))
        XCTAssertFalse(auto.usesColor(onTerminal: true, environment: ["NO_COLOR": "1"]))
        XCTAssertFalse(auto.usesColor(onTerminal: true, environment: ["TERM": "dumb"]))
        let never = try XCTUnwrap(try RootCommand.parseAsRoot(["--no-color", "ws://h/"]) as? RootCommand)
        XCTAssertFalse(never.usesColor(onTerminal: true, environment: [:]))
        let always = try XCTUnwrap(try RootCommand.parseAsRoot(["--color", "always", "ws://h/"]) as? RootCommand)
        XCTAssertTrue(always.usesColor(onTerminal: false, environment: [:]))
    }

    func testExecuteAndSendFileKeepTheirCommandLineOrder() throws {
        let arguments = ["-x", "1", "--send-file", "a", "-v", "--execute=2", "--send-file=b", "-x", "3", "ws://h/"]
        for _ in 0..<3 {
            let command = try XCTUnwrap(try RootCommand.parseAsRoot(arguments) as? RootCommand)
            XCTAssertEqual(
                command.messages.commandLineMessages,
                [.text("1"), .file("a"), .text("2"), .file("b"), .text("3")]
            )
        }
        let filesFirst = try XCTUnwrap(
            try RootCommand.parseAsRoot(["--send-file", "a", "-x", "1", "ws://h/"]) as? RootCommand
        )
        XCTAssertEqual(filesFirst.messages.commandLineMessages, [.file("a"), .text("1")])
    }

    func testValidationErrors() {
        let cases: [[String]] = [
            [], ["-c", "ws://a/", "ws://b/"], ["-H", "bad", "ws://h/"], ["--auth", "x", "ws://h/"],
            ["--connect-timeout", "0", "ws://h/"], ["--close-timeout", "-1", "ws://h/"], ["-w", "-2", "ws://h/"],
            ["-v", "-q", "ws://h/"], ["--text", "ws://h/"], ["--text", "--binary", "--send-file", "-", "ws://h/"],
            ["-0", "-x", "a", "ws://h/"], ["-0", "--send-file", "-", "ws://h/"],
            ["--send-file", "-", "--send-file", "-", "ws://h/"], ["--send-file", "/nonexistent/file", "ws://h/"],
            ["--send-file", "/", "ws://h/"], ["--echo", "--send-file", "-", "ws://h/"], ["-l", "0", "-0"],
            ["-l", "0", "--send-file", "-"],
        ]
        for arguments in cases {
            XCTAssertThrowsError(try PlanFixture.plan(arguments), "\(arguments)")
        }
    }
}

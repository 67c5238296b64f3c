import ArgumentParser
import WSEngine
import WSTerminal
import XCTest

@testable import WSCommand

/// `--listen`, `--echo` and `--no-compression`: parsing, cross-option rules, resolved configuration.
final class ModeOptionTests: XCTestCase {
    func testListenAddresses() {
        let cases: [(String, ListenAddress)] = [
            ("8080", ListenAddress(host: "127.0.0.1", port: 8080)),
            ("0", ListenAddress(host: "127.0.0.1", port: 0)),
            ("0.0.0.0:9001", ListenAddress(host: "0.0.0.0", port: 9001)),
            ("localhost:80", ListenAddress(host: "localhost", port: 80)),
            ("[::1]:8080", ListenAddress(host: "::1", port: 8080)),
            ("[::]:1", ListenAddress(host: "::", port: 1)),
        ]
        for (text, address) in cases {
            XCTAssertEqual(ListenAddress(argument: text), address, text)
        }
        for bad in ["", "port", "-1", "65536", ":8080", "::1:8080", "[::1]8080", "[::1]", "host:", "+80", "８０"] {
            XCTAssertNil(ListenAddress(argument: bad), bad)
        }
    }

    func testListenResolvesAServerConfiguration() throws {
        let command = try XCTUnwrap(
            try RootCommand.parseAsRoot([
                "-l", "[::1]:0", "--echo", "-s", "chat", "--no-compression", "--max-message-size", "1K",
                "--close-timeout", "2",
            ]) as? RootCommand
        )
        let configuration = command.serverConfiguration(listening: try XCTUnwrap(command.modes.listen))
        XCTAssertEqual(configuration.host, "::1")
        XCTAssertEqual(configuration.port, 0)
        XCTAssertEqual(configuration.subprotocols, ["chat"])
        XCTAssertFalse(configuration.acceptsCompression)
        XCTAssertEqual(configuration.maxMessageSize, 1024)
        XCTAssertEqual(configuration.closeTimeout, .seconds(2))
        XCTAssertTrue(command.listenOptions().echo)
    }

    func testCompressionIsOfferedUnlessTurnedOff() throws {
        let offered = try XCTUnwrap(try RootCommand.parseAsRoot(["ws://h/"]) as? RootCommand)
        XCTAssertEqual(try offered.clientConfiguration().compression, .standard)
        let off = try XCTUnwrap(try RootCommand.parseAsRoot(["--no-compression", "ws://h/"]) as? RootCommand)
        XCTAssertNil(try off.clientConfiguration().compression)
    }

    func testCrossOptionRules() {
        let refused: [[String]] = [
            [],
            ["--listen", "80", "ws://h/"],
            ["--listen", "80", "-x", "hi"],
            ["--listen", "80", "--origin", "o"],
            ["--listen", "80", "--auth", "u:p"],
            ["--listen", "80", "-L"],
            ["-L", "--max-redirs", "-1", "ws://h/"],
            ["--listen", "80", "--cacert", "ca.pem"],
            ["--echo", "-x", "hi", "ws://h/"],
            ["--echo", "--format", "jsonl", "ws://h/"],
            ["--listen", "80", "--echo", "--format", "raw"],
            ["--format", "json", "ws://h/"],
        ]
        for arguments in refused {
            XCTAssertThrowsError(try RootCommand.parseAsRoot(arguments), "\(arguments)")
        }
        for arguments in [["--listen", "80"], ["--listen", "80", "--echo"], ["--echo", "ws://h/"]] {
            XCTAssertNoThrow(try RootCommand.parseAsRoot(arguments), "\(arguments)")
        }
    }

    func testFormatPicksTheOutputAndLeavesTheREPL() throws {
        let terminal = ProcessEnvironment(variables: [:], stdinIsTerminal: true, stdoutIsTerminal: true)
        let plain = try XCTUnwrap(try RootCommand.parseAsRoot(["ws://h/"]) as? RootCommand)
        XCTAssertEqual(plain.pipeOptions().format, .raw)
        XCTAssertNotNil(plain.interactiveOptions(environment: terminal))
        for (name, format) in [("raw", OutputFormat.raw), ("jsonl", .jsonLines)] {
            let client = try XCTUnwrap(try RootCommand.parseAsRoot(["--format", name, "ws://h/"]) as? RootCommand)
            XCTAssertEqual(client.pipeOptions().format, format)
            XCTAssertNil(client.interactiveOptions(environment: terminal), "--format \(name) prints to stdout")
            let server = try XCTUnwrap(try RootCommand.parseAsRoot(["-l", "0", "--format", name]) as? RootCommand)
            XCTAssertEqual(server.listenOptions().format, format)
            XCTAssertNil(server.interactiveOptions(environment: terminal))
        }
    }
}

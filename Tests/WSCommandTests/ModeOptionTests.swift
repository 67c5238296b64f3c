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
}

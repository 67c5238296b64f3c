import Foundation
import XCTest

/// Every way a run can fail prints one `wsc: error:` line and exits with its documented code.
final class FailureTests: EndToEndTestCase {
    func testRefusedPort() throws {
        let closedPort = try ClosedPort.find()
        let result = try WSCProcess.run(["ws://127.0.0.1:\(closedPort)/"])
        XCTAssertEqual(result.status, 3)
        self.assertOneErrorLine(result, contains: "connection refused by 127.0.0.1:\(closedPort)")
    }

    func testUnresolvableHost() throws {
        let result = try WSCProcess.run(["ws://no-such-host.invalid/"])
        XCTAssertEqual(result.status, 3)
        self.assertOneErrorLine(result, contains: "could not resolve host 'no-such-host.invalid'")
    }

    func testHandshakeTimeout() throws {
        let server = try self.startRawServer(["--silent"])
        let result = try WSCProcess.run(["--connect-timeout", "0.5", server.url()])
        XCTAssertEqual(result.status, 3)
        self.assertOneErrorLine(result, contains: "timed out")
    }

    func testUsageErrors() throws {
        let cases: [([String], String)] = [
            ([], "missing the server URL"),
            (["http://example.test/"], "unsupported scheme 'http'"),
            (["ws://host:99999/"], "invalid port"),
            (["ws://host/#frag"], "fragment"),
            (["-H", "no colon here", "ws://host/"], "is not 'Name: value'"),
            (["--auth", "nocolon", "ws://host/"], "--auth takes user:password"),
            (["--wait", "-3", "ws://host/"], "--wait"),
            (["--max-message-size", "lots", "ws://host/"], "max-message-size"),
            (["--no-such-flag", "ws://host/"], "no-such-flag"),
            (["-c", "ws://a/", "ws://b/"], "give the URL once"),
            (["--connect-timeout", "1e19", "ws://host/"], "--connect-timeout takes 0.001 to 31536000 seconds"),
            (["--close-timeout", "1e19", "ws://host/"], "--close-timeout takes 0.001 to 31536000 seconds"),
            (["-w", "1e19", "ws://host/"], "--wait takes 0 to 31536000 seconds"),
            (["--ping-interval", "1e308", "ws://host/"], "--ping-interval takes 0.05 to 31536000 seconds"),
            (["--ping-interval", "1e-9", "ws://host/"], "--ping-interval takes 0.05 to 31536000 seconds"),
            (["--ping-interval", "1", "--ping-timeout", "1e308", "ws://host/"], "--ping-timeout takes 0.001"),
            (["--max-message-size", "-1", "ws://host/"], "--max-message-size takes 1 to 4294967295 bytes; got -1"),
        ]
        for (arguments, fragment) in cases {
            let result = try WSCProcess.run(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            self.assertOneErrorLine(result, contains: fragment)
        }
    }

    func testUsageErrorsNeverShowAPassword() throws {
        for arguments in [
            ["ws://user:s3cr3t@host:99999/"], ["ws://user:s3cr3t@ho st/"], ["http://user:s3cr3t@example.test/"],
            ["--proxy", "gopher://u:s3cr3t@127.0.0.1", "ws://host/"], ["--proxy", "http://u:s3cr3t@p/x", "ws://h/"],
        ] {
            let result = try WSCProcess.run(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            self.assertOneErrorLine(result, contains: ":[redacted]@")
            XCTAssertFalse(result.stderr.contains("s3cr3t"), result.stderr)
        }
    }

    func testHelpAndVersionSucceedOnStdout() throws {
        let help = try WSCProcess.run(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.output.contains("USAGE: wsc"), help.output)
        XCTAssertTrue(help.output.contains("EXIT CODES:"), help.output)
        let version = try WSCProcess.run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertNotNil(version.output.wholeMatch(of: /\d+\.\d+\.\d+\n/), version.output)
    }
}

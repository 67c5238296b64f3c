import Foundation
import XCTest

/// Every way a run can fail prints one `wsc: error:` line and exits with its documented code.
final class FailureTests: EndToEndTestCase {
    func testRefusedPort() throws {
        let closedPort = try Self.unusedPort()
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
        ]
        for (arguments, fragment) in cases {
            let result = try WSCProcess.run(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            self.assertOneErrorLine(result, contains: fragment)
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

    /// A port nothing listens on: bound, then released.
    private static func unusedPort() throws -> Int {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

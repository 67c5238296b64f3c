import Foundation
import XCTest

/// `--ping-interval` and `--ping-timeout` against real peers: pings that are answered keep a session going,
/// a peer that stays silent is dropped with one line that says why.
final class KeepaliveTests: EndToEndTestCase {
    func testASilentServerIsDroppedWithExit7() throws {
        let server = try self.startRawServer()
        let result = try WSCProcess.run(["--ping-interval", "0.2", "--ping-timeout", "0.5", "-w", "-1", server.url()])
        XCTAssertEqual(result.status, 7)
        XCTAssertEqual(
            result.stderr,
            "wsc: error: connection to the server failed without a Close frame: 1006 (abnormal closure); "
                + "nothing received for 0.5 seconds after a ping (--ping-timeout)\n"
        )
        try server.waitForLine(prefix: "EOF")
        let pings = server.output.filter { $0.hasPrefix("FRAME 9 ") }
        XCTAssertGreaterThanOrEqual(pings.count, 2, "\(server.output)")
        // "wsc keepalive 1 " and the time it was sent, for the round trip of its answer.
        let firstPayload = Data("wsc keepalive 1 ".utf8).map { String(format: "%02x", $0) }.joined()
        XCTAssertTrue(pings.first?.hasPrefix("FRAME 9 ") == true, "\(pings)")
        XCTAssertTrue(pings.first?.split(separator: " ").last?.hasPrefix(firstPayload) == true, "\(pings)")
    }

    func testAnsweredPingsKeepTheSessionAndPrintNothing() throws {
        let server = try self.startServer()
        let result = try WSCProcess.run(
            ["--ping-interval", "0.1", "--ping-timeout", "0.4", "-x", "hello", "-w", "1", server.url()]
        )
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.output, "hello\n", "about ten pings were answered; their pongs print nothing")
        XCTAssertEqual(result.stderr, "wsc: closed: 1000 (normal closure)\n")
    }

    func testListenPingsItsClientsAndDropsASilentOne() throws {
        let listener = try self.startListener(["--ping-interval", "0.2", "--ping-timeout", "0.5"])
        let (lines, status) = try self.runPeerClient("raw_client.py", ["\(listener.port)"])
        XCTAssertEqual(status, 0)
        XCTAssertEqual(lines.first, "HTTP/1.1 101 Switching Protocols")
        XCTAssertTrue(lines.dropFirst().first?.hasPrefix("PING wsc keepalive 1 ") == true, "\(lines)")
        XCTAssertEqual(lines.last, "EOF", "dropped without a Close: the client is gone as far as wsc knows")
        try listener.waitForStatus("nothing received for 0.5 seconds after a ping (--ping-timeout)")
        XCTAssertEqual(listener.stop().status, 0, "one silent client does not stop the server")
    }

    func testUsageErrors() throws {
        for arguments in [
            ["--ping-timeout", "1", "ws://127.0.0.1:1/"], ["--ping-interval", "0", "ws://127.0.0.1:1/"],
            ["--ping-interval", "-1", "ws://127.0.0.1:1/"],
            ["--ping-interval", "1", "--ping-timeout", "nan", "ws://h/"],
        ] {
            let result = try WSCProcess.run(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments)")
            self.assertOneErrorLine(result, contains: "--ping-")
        }
    }
}

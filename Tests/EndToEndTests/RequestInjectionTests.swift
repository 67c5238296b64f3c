import Foundation
import XCTest

/// Values that would break the handshake request (a line break that starts another header or request, a
/// control character, a second copy of a header the handshake needs) are usage errors before anything is
/// sent; the raw server, which prints every request line it receives, proves that nothing reached it.
final class RequestInjectionTests: EndToEndTestCase {
    /// The request lines the raw server received, without the quotes of its report.
    private func requestLines(_ server: PeerServer) -> [String] {
        server.output.filter { $0.hasPrefix("REQUEST ") }.map { String($0.dropFirst("REQUEST '".count).dropLast()) }
    }

    func testValuesThatWouldBreakTheRequestAreUsageErrorsAndNeverSent() throws {
        let server = try self.startRawServer(["--print-request"])
        let cases: [([String], String)] = [
            (["--origin", "http://a\r\nEvil: 1"], "--origin has the control character '\\r'"),
            (["--origin", "http://a\nEvil: 1"], "--origin has the control character '\\n'"),
            (["--origin", " http://a"], "--origin starts or ends with white space"),
            (["-s", "chat\r\n\r\nGET /admin HTTP/1.1"], "-s 'chat\\r\\n\\r\\nGET /admin HTTP/1.1' has '\\r'"),
            (["-s", "a b"], "-s 'a b' has ' ', which a subprotocol name may not contain"),
            (["-s", "a", "-s", "a"], "-s 'a' is given twice"),
            (["-H", "X-A: 1\nEvil: 1"], "-H 'X-A' has the control character '\\n'"),
            (["-H", "X-A: \u{01}"], "-H 'X-A' has the control character '\\x01'"),
            (["-H", "X-A: \u{1B}[2J"], "-H 'X-A' has the control character '\\x1b'"),
            (["-H", "X-A: a\u{7F}"], "-H 'X-A' has the control character '\\x7f'"),
            (["-H", "X A: 1"], "-H 'X A' has ' ', which a header name may not contain"),
            (["-H", "Upgrade: h2c"], "-H 'Upgrade': wsc sends this header itself"),
            (["-H", "connection: close"], "-H 'connection': wsc sends this header itself"),
            (["-H", "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA=="], "-H 'Sec-WebSocket-Key': wsc sends this header"),
            (["-H", "Sec-WebSocket-Version: 8"], "-H 'Sec-WebSocket-Version': wsc sends this header"),
            (["-H", "Sec-WebSocket-Protocol: chat"], "-H 'Sec-WebSocket-Protocol': offer subprotocols with -s"),
            (["-H", "Sec-WebSocket-Extensions: x"], "add --no-compression to send your own"),
            (["-H", "Content-Length: 5"], "-H 'Content-Length': the handshake request has no body"),
            (["-H", "Host: a", "-H", "host: b"], "-H 'host' is given twice; wsc sends one host header"),
            (["--auth", "u:p\r\nEvil: 1"], "--auth: the password has the control character '\\r'"),
            (["--proxy", "http://u%0A:p@127.0.0.1:1"], "--proxy: the user name has the control character '\\n'"),
        ]
        for (arguments, message) in cases {
            let result = try WSCProcess.run(arguments + ["-x", "hi", server.url()])
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            self.assertOneErrorLine(result, contains: message)
        }
        let url = try WSCProcess.run(["-x", "hi", "ws://127.0.0.1:\(server.port)/a\r\nEvil: 1"])
        XCTAssertEqual(url.status, 2, url.stderr)
        self.assertOneErrorLine(url, contains: "must be percent-encoded in the path: '\\r'")
        XCTAssertEqual(self.requestLines(server), [], "nothing reached the server")
    }

    func testHeadersWscSendsAreReplacedOnceAndNeverDuplicated() throws {
        let server = try self.startRawServer(["--print-request", "--answer-close"])
        let result = try WSCProcess.run([
            "-H", "Host: example.test", "-H", "user-agent: probe/1", "--origin", "http://o", "-H", "Origin: http://h",
            "--auth", "u:p", "-H", "Authorization: Bearer t", "--no-compression",
            "-H", "Sec-WebSocket-Extensions: x-test", "-H", "X-Twice: 1", "-H", "X-Twice: 2", "-H", "X-Text: é",
            "-x", "hi", "-w", "0", server.url(),
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = self.requestLines(server)
        func values(_ name: String) -> [String] {
            lines.compactMap { line in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == name else { return nil }
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        XCTAssertEqual(values("host"), ["example.test"], "\(lines)")
        XCTAssertEqual(values("user-agent"), ["probe/1"], "\(lines)")
        XCTAssertEqual(values("origin"), ["http://h"], "\(lines)")
        XCTAssertEqual(values("authorization"), ["Bearer t"], "\(lines)")
        XCTAssertEqual(values("sec-websocket-extensions"), ["x-test"], "\(lines)")
        XCTAssertEqual(values("x-twice"), ["1", "2"], "\(lines)")
        for name in ["upgrade", "connection", "sec-websocket-key", "sec-websocket-version"] {
            XCTAssertEqual(values(name).count, 1, "\(name): \(lines)")
        }
    }
}

import Foundation
import XCTest

/// `-L` against real `websockets` servers that redirect the upgrade: followed only when asked, to other
/// servers and paths, with credentials kept from other origins, and never forever.
final class RedirectTests: EndToEndTestCase {
    /// The request the final server saw, from its `headers` mode's first message.
    private func request(_ result: WSCResult) throws -> (path: String, headers: [String: String]) {
        let first = try XCTUnwrap(result.output.split(separator: "\n").first, result.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        return (try XCTUnwrap(object["path"] as? String), try XCTUnwrap(object["headers"] as? [String: String]))
    }

    func testARedirectIsReportedWithTheWayToFollowIt() throws {
        let server = try self.startServer("redirect", ["--status", "301", "--location", "/moved"])
        let result = try WSCProcess.run(["-x", "hi", server.url("/old")])
        XCTAssertEqual(result.status, 4)
        self.assertOneErrorLine(
            result,
            contains: "server refused the upgrade: HTTP/1.1 301 Moved Permanently (a redirect to /moved: -L follows it)"
        )
    }

    func testLocationFollowsToAnotherServerWithHTTPSchemeAndQuery() throws {
        let target = try self.startServer("headers")
        let server = try self.startServer(
            "redirect",
            ["--status", "307", "--location", "http://127.0.0.1:\(target.port)/elsewhere?x=1"]
        )
        let result = try WSCProcess.run(["-L", "-v", "-x", "hi", "-w", "0.5", server.url("/start")])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try self.request(result).path, "/elsewhere?x=1")
        XCTAssertEqual(result.output.split(separator: "\n").last, "hi")
        XCTAssertTrue(
            result.stderr.contains("* redirected to ws://127.0.0.1:\(target.port)/elsewhere?x=1\n"),
            result.stderr
        )
    }

    func testCredentialsFollowToTheSameOriginOnly() throws {
        let server = try self.startServer("redirect", ["--location", "/final"])
        let credentials = ["--auth", "alice:s3cret", "-H", "X-Kept: yes", "-x", "hi", "-w", "0.3"]
        let same = try WSCProcess.run(["-L"] + credentials + [server.url("/start")])
        XCTAssertEqual(same.status, 0, same.stderr)
        let sameRequest = try self.request(same)
        XCTAssertEqual(sameRequest.path, "/final")
        XCTAssertEqual(sameRequest.headers["authorization"], "Basic YWxpY2U6czNjcmV0")

        let elsewhere = try self.startServer("redirect", ["--location", "ws://localhost:\(server.port)/final"])
        let other = try WSCProcess.run(
            ["-L", "-H", "Authorization: Bearer token", "-H", "Cookie: session=1"] + credentials
                + [elsewhere.url("/start")]
        )
        XCTAssertEqual(other.status, 0, other.stderr)
        let otherRequest = try self.request(other)
        XCTAssertEqual(otherRequest.path, "/final")
        XCTAssertNil(otherRequest.headers["authorization"], "another host gets neither --auth nor -H Authorization")
        XCTAssertNil(otherRequest.headers["cookie"], "nor any -H header")
        XCTAssertNil(otherRequest.headers["x-kept"], "nor any -H header")
    }

    func testAnotherPortOnTheSameHostGetsNoCustomHeaders() throws {
        let target = try self.startServer("headers")
        let server = try self.startServer("redirect", ["--location", "ws://127.0.0.1:\(target.port)/final"])
        let result = try WSCProcess.run(
            ["-L", "-H", "Cookie: session=1", "-H", "X-Mine: 1", "-x", "hi", "-w", "0.3", server.url("/start")]
        )
        XCTAssertEqual(result.status, 0, result.stderr)
        let request = try self.request(result)
        XCTAssertNil(request.headers["cookie"], "\(request.headers)")
        XCTAssertNil(request.headers["x-mine"], "\(request.headers)")
    }

    func testRedirectsStopAtTheLimit() throws {
        let server = try self.startServer("redirect", ["--location", "loop"])
        let result = try WSCProcess.run(["-L", "--max-redirs", "3", "-v", "-x", "hi", server.url("/a/")])
        XCTAssertEqual(result.status, 4)
        XCTAssertEqual(result.errorLines.filter { $0.hasPrefix("* redirected to ") }.count, 3, result.stderr)
        XCTAssertEqual(
            result.errorLines.last,
            "wsc: error: server refused the upgrade: HTTP/1.1 302 Found: stopped after 3 redirects (--max-redirs)"
        )
    }

    func testARedirectThatIsNotAWebSocketURLIsExplained() throws {
        let server = try self.startServer("redirect", ["--location", "ftp://127.0.0.1/file"])
        let result = try WSCProcess.run(["-L", "-x", "hi", server.url()])
        XCTAssertEqual(result.status, 4)
        self.assertOneErrorLine(result, contains: "cannot follow the redirect to 'ftp://127.0.0.1/file'")
    }
}

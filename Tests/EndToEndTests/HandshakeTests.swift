import Foundation
import XCTest

/// The opening handshake as real servers see it, and how wsc reports refusals.
final class HandshakeTests: EndToEndTestCase {
    private struct SeenRequest: Decodable {
        var path: String
        var headers: [String: String]
        var subprotocol: String?
    }

    private func firstMessage(_ result: WSCResult) throws -> SeenRequest {
        let line = try XCTUnwrap(result.output.split(separator: "\n").first, result.stderr)
        return try JSONDecoder().decode(SeenRequest.self, from: Data(line.utf8))
    }

    func testServerSeesPathHeadersOriginSubprotocolAndAuth() throws {
        let server = try self.startServer("headers", ["--subprotocol", "chat.v2"])
        let result = try WSCProcess.run([
            "-H", "X-Custom: one two", "-H", "X-Other:three", "-o", "https://example.test",
            "-s", "chat.v1", "-s", "chat.v2", "--auth", "ann:se:cret", server.url("/room/7?token=abc"),
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        let seen = try self.firstMessage(result)
        XCTAssertEqual(seen.path, "/room/7?token=abc")
        XCTAssertEqual(seen.headers["x-custom"], "one two")
        XCTAssertEqual(seen.headers["x-other"], "three")
        XCTAssertEqual(seen.headers["origin"], "https://example.test")
        XCTAssertEqual(seen.headers["sec-websocket-protocol"], "chat.v1, chat.v2")
        XCTAssertEqual(seen.headers["authorization"], "Basic " + Data("ann:se:cret".utf8).base64EncodedString())
        XCTAssertEqual(seen.headers["host"], "127.0.0.1:\(server.port)")
        XCTAssertEqual(seen.subprotocol, "chat.v2")
    }

    /// Keep-Alive is refused only over HTTP/2 (HTTP2Tests): over HTTP/1.1 it is the user's to send.
    func testAKeepAliveHeaderReachesAnHTTP1Server() throws {
        let server = try self.startServer("headers")
        let result = try WSCProcess.run(["-H", "Keep-Alive: timeout=5", server.url()])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try self.firstMessage(result).headers["keep-alive"], "timeout=5")
    }

    func testCredentialsInTheURLBecomeBasicAuth() throws {
        let server = try self.startServer("headers")
        let result = try WSCProcess.run(["ws://bob:p%40ss@127.0.0.1:\(server.port)/"])
        XCTAssertEqual(
            try self.firstMessage(result).headers["authorization"],
            "Basic " + Data("bob:p@ss".utf8).base64EncodedString()
        )
    }

    func testUserHeaderReplacesTheDefaultOfTheSameName() throws {
        let server = try self.startServer("headers")
        let result = try WSCProcess.run(["-H", "User-Agent: my-agent/1", server.url()])
        XCTAssertEqual(try self.firstMessage(result).headers["user-agent"], "my-agent/1")
    }

    func testURLWithoutSchemeMeansWS() throws {
        let server = try self.startServer()
        let result = try WSCProcess.run(["127.0.0.1:\(server.port)"], input: Data("plain\n".utf8))
        XCTAssertEqual(result.output, "plain\n")
    }

    func testConnectOptionTakesTheURL() throws {
        let server = try self.startServer()
        let result = try WSCProcess.run(["-c", server.url()], input: Data("via -c\n".utf8))
        XCTAssertEqual(result.output, "via -c\n")
    }

    func testLocalhostTriesBothAddressFamilies() throws {
        let server = try self.startServer()
        let result = try WSCProcess.run(["ws://localhost:\(server.port)/"], input: Data("hello\n".utf8))
        XCTAssertEqual(result.output, "hello\n", result.stderr)
    }

    func testIPv6Literal() throws {
        let server: PeerServer
        do {
            server = try self.startServer("echo", ["--host", "::1"])
        } catch {
            throw XCTSkip("no IPv6 loopback here: \(error)")
        }
        let result = try WSCProcess.run(["ws://[::1]:\(server.port)/"], input: Data("six\n".utf8))
        XCTAssertEqual(result.output, "six\n", result.stderr)
    }

    func testVerboseShowsHandshakeWithCredentialsRedacted() throws {
        let server = try self.startServer()
        let result = try WSCProcess.run(["-v", "--auth", "u:secret", server.url("/v")])
        XCTAssertTrue(result.stderr.contains("> GET /v HTTP/1.1\n"), result.stderr)
        XCTAssertTrue(result.stderr.contains("> Authorization: Basic [redacted]\n"), result.stderr)
        XCTAssertFalse(result.stderr.contains(Data("u:secret".utf8).base64EncodedString()))
        XCTAssertTrue(result.stderr.contains("< HTTP/1.1 101 Switching Protocols\n"), result.stderr)
        XCTAssertTrue(result.stderr.contains("< Sec-WebSocket-Accept: "), result.stderr)
    }

    func testRejectedUpgradeReportsTheStatusLine() throws {
        let server = try self.startServer("reject", ["--status", "403"])
        let result = try WSCProcess.run([server.url()])
        XCTAssertEqual(result.status, 4)
        self.assertOneErrorLine(result, contains: "server refused the upgrade: HTTP/1.1 403 Forbidden")
    }

    func testRejectedUpgradeWithVerboseShowsHeadersAndBody() throws {
        let server = try self.startServer("reject", ["--status", "403"])
        let result = try WSCProcess.run(["-v", server.url()])
        XCTAssertEqual(result.status, 4)
        XCTAssertTrue(result.stderr.contains("< Content-Length: "), result.stderr)
        XCTAssertTrue(result.stderr.contains("< forbidden by the test server"), result.stderr)
        XCTAssertTrue(
            result.errorLines.last?.hasPrefix("wsc: error: server refused the upgrade") ?? false,
            result.stderr
        )
    }

    func testWrongAcceptKeyIsRejected() throws {
        let server = try self.startRawServer(["--accept", "d3Jvbmc="])
        let result = try WSCProcess.run([server.url()])
        XCTAssertEqual(result.status, 4)
        self.assertOneErrorLine(result, contains: "Sec-WebSocket-Accept does not match")
    }

    func testSubprotocolThatWasNotOfferedIsRejected() throws {
        let server = try self.startRawServer(["--header", "Sec-WebSocket-Protocol: evil"])
        let result = try WSCProcess.run(["-s", "good", server.url()])
        XCTAssertEqual(result.status, 4)
        self.assertOneErrorLine(
            result,
            contains: "server selected subprotocol 'evil', which wsc did not offer (offered: good)"
        )
    }

    func testExtensionThatWasNotOfferedIsRejected() throws {
        let server = try self.startRawServer(["--header", "Sec-WebSocket-Extensions: x-unknown"])
        let result = try WSCProcess.run([server.url()])
        XCTAssertEqual(result.status, 4)
        self.assertOneErrorLine(result, contains: "server accepted extension 'x-unknown'")
    }

    func testA101WithoutConnectionUpgradeIsRejected() throws {
        for (value, found) in [("", "no Connection header"), ("keep-alive", "'Connection: keep-alive'")] {
            let server = try self.startRawServer(["--connection", value])
            let result = try WSCProcess.run(["-x", "hi", server.url()])
            XCTAssertEqual(result.status, 4, result.stderr)
            self.assertOneErrorLine(result, contains: "101 response has \(found), not 'Connection: Upgrade'")
        }
    }

    func testConnectionUpgradeIsATokenInAListWhateverItsCase() throws {
        let server = try self.startRawServer(["--connection", "keep-alive, UPGRADE", "--answer-close"])
        let result = try WSCProcess.run(["-x", "hi", "-w", "0.1", server.url()])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try server.waitForLine(prefix: "FRAME"), "FRAME 1 2 6869")
    }

    func testAnHTTP10SwitchIsRejected() throws {
        let server = try self.startRawServer(["--http-version", "HTTP/1.0"])
        let result = try WSCProcess.run(["-x", "hi", server.url()])
        XCTAssertEqual(result.status, 4, result.stderr)
        self.assertOneErrorLine(result, contains: "server answered 'HTTP/1.0 101 Switching Protocols'")
    }

    func testFramesRightBehindThe101AreNotLost() throws {
        // A text frame "early" in the same TCP segment as the response.
        let server = try self.startRawServer(["--send", "81056561726c79", "--answer-close"])
        let result = try WSCProcess.run(["-w", "0.2", server.url()])
        XCTAssertEqual(result.output, "early\n")
        XCTAssertEqual(result.status, 0, result.stderr)
    }
}

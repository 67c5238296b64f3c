import Foundation
import XCTest

/// `--unix-socket` against a `websockets` server on a Unix domain socket: the URL still names the server.
final class UnixSocketTests: EndToEndTestCase {
    private var folder = URL(fileURLWithPath: "/")

    override func setUpWithError() throws {
        try super.setUpWithError()
        // Short, so the path fits a socket address (107 bytes).
        self.folder = URL(fileURLWithPath: "/tmp/wsc-uds-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        let folder = self.folder
        self.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    }

    func testTheSessionRunsOverTheSocketWithTheURLsHostAndPath() throws {
        let path = self.folder.appendingPathComponent("ws.sock").path
        _ = try self.startServer("headers", ["--unix", path])
        let result = try WSCProcess.run(
            ["-v", "--unix-socket", path, "-x", "over the socket", "-w", "0.3", "ws://api.example/feed?x=1"]
        )
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.output.split(separator: "\n")
        XCTAssertEqual(lines.last, "over the socket")
        let request = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(try XCTUnwrap(lines.first).utf8)) as? [String: Any]
        )
        XCTAssertEqual(request["path"] as? String, "/feed?x=1")
        XCTAssertEqual((request["headers"] as? [String: String])?["host"], "api.example")
        XCTAssertTrue(result.stderr.contains("* unix socket: \(path), for api.example:80\n"), result.stderr)
    }

    func testAMissingSocketIsAConnectionFailureNamingIt() throws {
        let path = self.folder.appendingPathComponent("absent.sock").path
        let result = try WSCProcess.run(["--unix-socket", path, "ws://localhost/"])
        XCTAssertEqual(result.status, 3)
        self.assertOneErrorLine(result, contains: "could not connect to the socket \(path): No such file or directory")
    }

    func testASocketNobodyListensOnIsRefused() throws {
        let path = self.folder.appendingPathComponent("stale.sock").path
        let server = try self.startServer("echo", ["--unix", path])
        server.stop()  // websockets removes nothing: the socket file stays, with no listener behind it
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("the server removed its socket file")
        }
        let result = try WSCProcess.run(["--unix-socket", path, "ws://localhost/"])
        XCTAssertEqual(result.status, 3)
        self.assertOneErrorLine(result, contains: "connection refused by the socket \(path)")
    }

    func testUsageErrors() throws {
        for (arguments, message) in [
            (["--unix-socket", String(repeating: "x", count: 108), "ws://h/"], "1 to 107 bytes"),
            (["--unix-socket", "/tmp/s", "--proxy", "socks5h://127.0.0.1", "ws://h/"], "pick one"),
            (["--unix-socket", "/tmp/s", "--listen", "0"], "--unix-socket applies to a client connection"),
        ] {
            let result = try WSCProcess.run(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments)")
            self.assertOneErrorLine(result, contains: message)
        }
    }
}

import Foundation
import XCTest

/// Base for tests that run the built binary: checks that the binary and the test venv exist (with a
/// message saying how to get them), and starts peers that are stopped when the test ends.
class EndToEndTestCase: XCTestCase {
    override func setUpWithError() throws {
        // A pipe feeding wsc's stdin must fail with EPIPE, not kill the test runner, when wsc exits early.
        signal(SIGPIPE, SIG_IGN)
        guard FileManager.default.isExecutableFile(atPath: TestPaths.wsc.path) else {
            throw XCTSkip("no wsc binary at \(TestPaths.wsc.path): run 'make test' (it builds first)")
        }
        guard FileManager.default.isExecutableFile(atPath: TestPaths.python.path) else {
            throw XCTSkip("no test venv at \(TestPaths.python.path): run 'make test' (it creates it)")
        }
    }

    /// Starts a peer script and stops it when the test ends.
    func startPeer(_ script: String, _ arguments: [String] = []) throws -> PeerServer {
        let peer = try PeerServer(script, arguments)
        self.addTeardownBlock { peer.stop() }
        return peer
    }

    /// A Python `websockets` server in `mode` (see `Peers/ws_server.py`).
    func startServer(_ mode: String = "echo", _ arguments: [String] = []) throws -> PeerServer {
        try self.startPeer("ws_server.py", ["--mode", mode] + arguments)
    }

    /// The hostile raw-TCP server (see `Peers/raw_server.py`).
    func startRawServer(_ arguments: [String] = []) throws -> PeerServer {
        try self.startPeer("raw_server.py", arguments)
    }

    /// Asserts that stderr is exactly one `wsc: error:` line containing `fragment`.
    func assertOneErrorLine(
        _ result: WSCResult,
        contains fragment: String,
        file: StaticString = #filePath,
        line: UInt = #line
    ) {
        XCTAssertEqual(result.errorLines.count, 1, "stderr: \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("wsc: error: "), "stderr: \(result.stderr)", file: file, line: line)
        XCTAssertTrue(
            result.stderr.contains(fragment),
            "'\(fragment)' not in stderr: \(result.stderr)",
            file: file,
            line: line
        )
    }
}

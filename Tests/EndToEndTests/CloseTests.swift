import Foundation
import XCTest

/// The closing handshake in both directions, and how each end is reported and turned into an exit code.
final class CloseTests: EndToEndTestCase {
    func testServerCloseWithErrorCodeIsReportedAndExitsSeven() throws {
        let server = try self.startServer("close", ["--code", "4001", "--reason", "go away now"])
        let result = try WSCProcess.run(["-w", "-1", server.url()])
        XCTAssertEqual(result.status, 7)
        self.assertOneErrorLine(result, contains: "server closed the connection: 4001 (private code) \"go away now\"")
    }

    func testServerCloseWithGoingAwayIsSuccess() throws {
        let server = try self.startServer("close", ["--code", "1001", "--reason", "restart"])
        let result = try WSCProcess.run(["-w", "-1", server.url()])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stderr, "wsc: server closed the connection: 1001 (going away) \"restart\"\n")
    }

    func testQuietSuppressesTheCloseStatusLine() throws {
        let server = try self.startServer("close", ["--code", "1000"])
        let result = try WSCProcess.run(["-q", "-w", "-1", server.url()])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stderr, "")
    }

    func testClientCloseIsEchoedAndReported() throws {
        let server = try self.startServer()
        let result = try WSCProcess.run([server.url()], input: Data("bye\n".utf8))
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stderr, "wsc: closed: 1000 (normal closure)\n")
    }

    func testWscAnswersTheServersCloseWithTheSameCode() throws {
        // Close 4002 "x" right after the handshake; the raw server prints what wsc answers.
        let server = try self.startRawServer(["--send", "88040fa27878"])
        let result = try WSCProcess.run(["-w", "-1", server.url()])
        XCTAssertEqual(result.status, 7)
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 4002 ")
    }

    func testUnansweredCloseEndsAfterTheCloseTimeout() throws {
        let server = try self.startRawServer([])
        let result = try WSCProcess.run(["-x", "hello", "-w", "0", "--close-timeout", "0.5", server.url()])
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1000 ")
        XCTAssertEqual(result.status, 0, "a Close of ours that is never answered is still a normal end")
        XCTAssertEqual(
            result.stderr,
            "wsc: closed: 1000 (normal closure); the server did not answer the Close in time\n"
        )
    }

    func testConnectionDroppedWithoutCloseIsAbnormal() throws {
        let server = try self.startRawServer(["--drop-after", "0.2"])
        let result = try WSCProcess.run(["-w", "-1", server.url()])
        XCTAssertEqual(result.status, 7)
        self.assertOneErrorLine(result, contains: "connection dropped by the server without a Close frame")
    }

    func testConnectionResetIsNamedAsTheCause() throws {
        let server = try self.startRawServer(["--reset-after", "0.2"])
        let result = try WSCProcess.run(["-w", "-1", server.url()])
        XCTAssertEqual(result.status, 7)
        XCTAssertEqual(
            result.stderr,
            "wsc: error: connection to the server failed without a Close frame: 1006 (abnormal closure); "
                + "connection reset by peer\n"
        )
    }

    func testResetWhileOurCloseWaitsIsNamedAndStillANormalEnd() throws {
        let server = try self.startRawServer(["--reset-after", "0.5"])
        let result = try WSCProcess.run(["-x", "hello", "-w", "0", server.url()])
        XCTAssertEqual(result.status, 0, "our Close 1000 went out: the end is normal, as when it goes unanswered")
        XCTAssertEqual(
            result.stderr,
            "wsc: closed: 1000 (normal closure); the connection failed before the server answered the Close: "
                + "connection reset by peer\n"
        )
    }

    func testSigtermClosesCleanlyAndExits130() throws {
        let server = try self.startRawServer(["--answer-close"])
        let process = Process()
        process.executableURL = TestPaths.wsc
        process.arguments = ["-w", "-1", server.url()]
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { _ = WSCProcess.wait(for: process, timeout: 0) }
        // A line that reaches the server proves the session runs; a signal before that ends wsc at once.
        try stdin.fileHandleForWriting.write(contentsOf: Data("hello\n".utf8))
        try server.waitForLine(prefix: "FRAME 1 5")
        process.terminate()
        XCTAssertTrue(WSCProcess.wait(for: process, timeout: 10), "wsc did not exit after SIGTERM")
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1001 ", "going away, as for every SIGTERM")
    }
}

import Foundation
import XCTest

/// `--reconnect` against a real server whose first connections fail (`ws_server.py --mode flaky`): each way a
/// connection can drop is followed by another attempt, announced on stderr; `-x` goes out again on the new
/// connection; what a later attempt cannot fix ends the run at once.
final class ReconnectTests: EndToEndTestCase {
    private func flaky(_ failure: String, failures: Int = 2, _ extra: [String] = []) throws -> PeerServer {
        try self.startServer("flaky", ["--failure", failure, "--failures", "\(failures)"] + extra)
    }

    func testEachKindOfDropIsFollowedByAnotherAttemptAndXIsSentAgain() throws {
        let cases: [(String, [String], String)] = [
            // A reset reads as one when it meets a pending read, else as a hang-up, and a hang-up with unread
            // data (the -x message) goes out as a reset: either way a drop without Close (1006).
            ("reset", [], "without a Close frame: 1006"),
            ("fin", [], "without a Close frame: 1006"),
            ("close", ["--code", "1012"], "server closed the connection: 1012 (service restart)"),
            ("503", [], "server refused the upgrade: HTTP/1.1 503 Service Unavailable"),
        ]
        for (failure, extra, reason) in cases {
            let server = try self.flaky(failure, extra)
            let result = try WSCProcess.run(["--reconnect", "-x", "hi", "-w", "0.3", server.url()])
            XCTAssertEqual(result.status, 0, "\(failure): \(result.stderr)")
            XCTAssertEqual(result.output, "hi\n", failure)
            let announcements = result.errorLines.filter { $0.hasPrefix("wsc: reconnecting in ") }
            XCTAssertEqual(announcements.count, 2, "\(failure): \(result.stderr)")
            XCTAssertTrue(announcements[0].contains("(attempt 1): "), announcements[0])
            XCTAssertTrue(announcements[1].contains("(attempt 2): "), announcements[1])
            XCTAssertTrue(announcements.allSatisfy { $0.contains(reason) }, "\(failure): \(announcements)")
            XCTAssertEqual(result.errorLines.last, "wsc: closed: 1000 (normal closure)")
            XCTAssertEqual(try server.waitForLine(prefix: "RECEIVED"), "RECEIVED hi", "the third connection got -x")
            XCTAssertTrue(server.output.contains("CONNECTION 3"), "\(server.output)")
        }
    }

    func testRetryAfterIsTheWait() throws {
        let server = try self.flaky("503", failures: 1)
        let result = try WSCProcess.run(["--reconnect", "-x", "hi", "-w", "0.3", server.url()])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(
            result.errorLines.contains { $0.hasPrefix("wsc: reconnecting in 1.0 s (attempt 1)") },
            result.stderr
        )
    }

    func testTheLastAttemptsFailureIsTheOutcome() throws {
        let server = try self.flaky("close", failures: 5, ["--code", "1013"])
        let result = try WSCProcess.run(["--reconnect", "--reconnect-max", "2", "-x", "hi", "-w", "-1", server.url()])
        XCTAssertEqual(result.status, 7)
        XCTAssertEqual(result.errorLines.filter { $0.hasPrefix("wsc: reconnecting") }.count, 2)
        XCTAssertEqual(result.errorLines.last, "wsc: error: server closed the connection: 1013 (try again later)")
        let refused = try WSCProcess.run(
            [
                "--reconnect", "--reconnect-max", "1", "--format", "jsonl", "--events",
                "ws://127.0.0.1:\(try ClosedPort.find())/",
            ]
        )
        XCTAssertEqual(refused.status, 3)
        let types = try refused.output.split(separator: "\n").map { line in
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["type"] as? String
        }
        XCTAssertEqual(types, ["reconnect", "error"])
    }

    func testWhatAnotherAttemptCannotFixIsNotRetried() throws {
        let forbidden = try self.startServer("reject", ["--status", "403"])
        let refused = try WSCProcess.run(["--reconnect", "-x", "hi", forbidden.url()])
        XCTAssertEqual(refused.status, 4)
        self.assertOneErrorLine(refused, contains: "403")
        let normal = try self.flaky("close", failures: 1, ["--code", "1000"])
        let closed = try WSCProcess.run(["--reconnect", "-x", "hi", "-w", "-1", normal.url()])
        XCTAssertEqual(closed.status, 0, "a normal close by the server is the end")
        XCTAssertEqual(closed.errorLines, ["wsc: server closed the connection: 1000 (normal closure)"])
        let echo = try self.startServer()
        let ours = try WSCProcess.run(["--reconnect", "-x", "hi", "-w", "0.2", echo.url()])
        XCTAssertEqual(ours.status, 0)
        XCTAssertEqual(ours.errorLines, ["wsc: closed: 1000 (normal closure)"], "our own close is not retried")
    }

    func testUsageErrors() throws {
        for (arguments, fragment) in [
            (["--reconnect-max", "3", "ws://h/"], "--reconnect-max limits --reconnect"),
            (["--reconnect", "--reconnect-max", "0", "ws://h/"], "--reconnect-max takes 1 to"),
            (["-l", "0", "--reconnect"], "cannot be combined with --listen"),
        ] {
            let result = try WSCProcess.run(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments)")
            self.assertOneErrorLine(result, contains: fragment)
        }
    }

    /// Stdin goes on feeding the next connection: lines typed after the drop go to the new one, none twice.
    func testStdinGoesOnOverTheNewConnection() throws {
        let server = try self.flaky("reset", failures: 1, ["--after", "2"])
        let process = Process()
        process.executableURL = TestPaths.wsc
        process.arguments = ["--reconnect", "-w", "0.3", server.url()]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate() }
        try input.fileHandleForWriting.write(contentsOf: Data("one\ntwo\n".utf8))
        try server.waitForLine(prefix: "FAILING")
        try server.waitForLine(prefix: "CONNECTION 2")
        try input.fileHandleForWriting.write(contentsOf: Data("three\nfour\n".utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(text, "one\ntwo\nthree\nfour\n")
        XCTAssertEqual(
            server.output.filter { $0.hasPrefix("RECEIVED") },
            ["RECEIVED one", "RECEIVED two", "RECEIVED three", "RECEIVED four"]
        )
    }
}

import Foundation
import XCTest

/// One rule for SIGINT, SIGTERM and SIGHUP in every mode: close (1000 for SIGINT, 1001 for the others), wait
/// for the peer's answer, then exit 130 (`--listen`: close every client with 1001 and exit 0); a second signal
/// exits at once with 130. The REPL's own tests cover it there (Ctrl-C being a key).
final class SignalTests: EndToEndTestCase {
    private static let signals: [(Int32, String, Int)] = [
        (SIGINT, "SIGINT", 1000), (SIGTERM, "SIGTERM", 1001), (SIGHUP, "SIGHUP", 1001), (SIGQUIT, "SIGQUIT", 1001),
    ]

    /// The client modes, each started so that it is inside its session once the raw server has received
    /// "hi" (a stdin line, `-x`, or the echo of what the server sent).
    private static let modes: [(name: String, arguments: [String], serverArguments: [String], stdin: String)] = [
        ("pipe", [], [], "hi\n"),
        ("-x", ["-x", "hi", "-w", "-1"], [], ""),
        ("--echo", ["--echo"], ["--send", "81026869"], ""),
    ]

    /// Starts wsc with stdin a pipe the test keeps open, so that only the server or a signal ends it.
    private func start(_ arguments: [String], stdin text: String) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = TestPaths.wsc
        process.arguments = arguments
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        return (process, input)
    }

    func testEachSignalClosesWithItsCodeAndExits130InEveryClientMode() throws {
        for mode in Self.modes {
            for (signal, name, code) in Self.signals {
                let context = "\(mode.name), \(name)"
                let server = try self.startRawServer(mode.serverArguments + ["--answer-close"])
                let (process, input) = try self.start(mode.arguments + [server.url()], stdin: mode.stdin)
                defer { try? input.fileHandleForWriting.close() }
                XCTAssertEqual(try server.waitForLine(prefix: "FRAME"), "FRAME 1 2 6869", context)
                kill(process.processIdentifier, signal)
                XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE \(code) ", context)
                XCTAssertTrue(WSCProcess.wait(for: process, timeout: 20), context)
                XCTAssertEqual(process.terminationStatus, 130, context)
                server.stop()
            }
        }
    }

    func testASecondSignalExitsAtOnceWhenTheServerNeverAnswersTheClose() throws {
        for mode in Self.modes {
            let server = try self.startRawServer(mode.serverArguments)
            let (process, input) = try self.start(
                ["--close-timeout", "60"] + mode.arguments + [server.url()],
                stdin: mode.stdin
            )
            defer { try? input.fileHandleForWriting.close() }
            try server.waitForLine(prefix: "FRAME")
            kill(process.processIdentifier, SIGTERM)
            XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1001 ", mode.name)
            kill(process.processIdentifier, SIGINT)
            // Well within the 60 s close timeout: the second signal does not wait.
            XCTAssertTrue(WSCProcess.wait(for: process, timeout: 20), mode.name)
            XCTAssertEqual(process.terminationStatus, 130, mode.name)
            server.stop()
        }
    }

    func testEverySignalStopsListenWithClientsClosedGoingAwayAndExitZero() throws {
        for (signal, name, _) in Self.signals {
            let listener = try self.startListener([])
            let client = Process()
            client.executableURL = TestPaths.python
            client.arguments = [TestPaths.peer("ws_client.py").path, listener.url, "--expect-close"]
            let output = Pipe()
            client.standardOutput = output
            try client.run()
            defer { _ = WSCProcess.wait(for: client, timeout: 0) }
            try listener.waitForStatus("connected")
            let server = listener.stop(signal: signal)
            XCTAssertEqual(server.status, 0, "\(name): \(server.stderr)")
            XCTAssertTrue(WSCProcess.wait(for: client, timeout: 20), name)
            let lines = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            XCTAssertTrue(lines.contains("CLOSED 1001"), "\(name): \(lines)")
        }
    }

    /// `--listen` whose stdout nobody reads, holding a client's 1 MiB message it cannot print: SIGTERM still
    /// ends it with 0, once the close timeout has passed.
    func testListenStoppedWhileItsStdoutIsBlockedStillExitsZero() throws {
        let process = Process()
        process.executableURL = TestPaths.wsc
        process.arguments = ["--listen", "127.0.0.1:0", "--close-timeout", "0.5"]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        defer { try? stdout.fileHandleForReading.close() }
        var status = Data()
        while !status.contains(UInt8(ascii: "\n")) {
            status += stderr.fileHandleForReading.availableData
        }
        let port = try XCTUnwrap(String(decoding: status, as: UTF8.self).firstMatch(of: /127\.0\.0\.1:(\d+)/)).output.1
        let (lines, _) = try self.runPeerClient("raw_client.py", ["\(port)", "--zeros", "\(1 << 20)", "--no-wait"])
        XCTAssertEqual(lines, ["HTTP/1.1 101 Switching Protocols", "SENT"])
        kill(process.processIdentifier, SIGTERM)
        XCTAssertTrue(WSCProcess.wait(for: process, timeout: 20))
        XCTAssertEqual(process.terminationStatus, 0)
    }
}

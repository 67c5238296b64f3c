import Foundation
import XCTest

/// Nothing is lost at the edges of a session: what a peer writes together with its handshake, or right before
/// it hangs up or breaks the protocol, reaches the user every time, with the documented close and exit code.
/// The peers write each whole scenario in one `sendall`, and each scenario runs 100 times.
final class EdgeTests: EndToEndTestCase {
    private static let runs = 100
    private static let hello = "810568656c6c6f"

    /// Runs wsc `runs` times against a raw server that sends the 101 and `frames` in one write, then hangs
    /// up; checks stdout, the exit status and the error line of every run.
    private func assertEveryRun(
        frames: String,
        stdout: String,
        status: Int32,
        stderr: String,
        file: StaticString = #filePath,
        line: UInt = #line
    ) throws {
        let server = try self.startRawServer((frames.isEmpty ? [] : ["--send", frames]) + ["--drop-after", "0"])
        var failures: [String] = []
        for run in 1...Self.runs {
            let result = try WSCProcess.run([server.url()], timeout: 20)
            if result.output != stdout || result.status != status || !result.stderr.contains(stderr)
                || result.errorLines.count != 1
            {
                failures.append(
                    "run \(run): status \(result.status), stdout \(result.output.debugDescription), \(result.stderr)"
                )
            }
        }
        XCTAssertEqual(failures, [], file: file, line: line)
    }

    func testFramesSentWithThe101ThenAHangUpAreAllPrinted() throws {
        try self.assertEveryRun(
            frames: Self.hello + "8105776f726c64",
            stdout: "hello\nworld\n",
            status: 7,
            stderr: "dropped by the server without a Close frame: 1006"
        )
    }

    func testAMessageAndACloseSentWithThe101AreBothReported() throws {
        try self.assertEveryRun(
            frames: Self.hello + "88020fa1",
            stdout: "hello\n",
            status: 7,
            stderr: "server closed the connection: 4001"
        )
        try self.assertEveryRun(
            frames: Self.hello + "880203e8",
            stdout: "hello\n",
            status: 0,
            stderr: "server closed the connection: 1000"
        )
    }

    func testAHangUpRightAfterThe101OrInsideAFrameIsADrop() throws {
        for frames in ["", "8105686c"] {
            try self.assertEveryRun(frames: frames, stdout: "", status: 7, stderr: "without a Close frame: 1006")
        }
    }

    /// `--listen`: a client whose first frame and Close come in the same segment as its upgrade request,
    /// followed by its FIN, 100 times.
    func testListenGetsTheFramesSentWithTheRequest() throws {
        let listener = try self.startListener([])
        let (lines, status) = try self.runPeerClient(
            "raw_client.py",
            ["\(listener.port)", "--together", "--repeat", "\(Self.runs)", "--send", "818400000000" + "68657921"]
                + ["--send", "8882000000000" + "3e8"]
        )
        XCTAssertEqual(status, 0)
        XCTAssertEqual(lines.filter { $0.hasPrefix("HTTP/1.1 101") }.count, Self.runs, "\(lines.suffix(4))")
        XCTAssertEqual(lines.filter { $0 == "CLOSE 1000" }.count, Self.runs, "\(lines.suffix(4))")
        let result = listener.stop()
        XCTAssertEqual(result.output, String(repeating: "hey!\n", count: Self.runs))
    }

    /// A valid message and a bad frame in one read: the message is printed, or echoed, before the Close
    /// that answers the violation.
    func testAMessageBeforeAProtocolViolationIsDeliveredInEveryMode() throws {
        for mode in [[], ["--format", "jsonl"], ["--echo"]] {
            let server = try self.startRawServer(["--send", Self.hello + "830100", "--answer-close"])
            let result = try WSCProcess.run(["-w", "-1"] + mode + [server.url()])
            XCTAssertEqual(result.status, 6, "\(mode): \(result.stderr)")
            self.assertOneErrorLine(result, contains: "reserved opcode 3; wsc closed the connection with 1002")
            let close = try server.waitForLine(prefix: "CLOSE")
            XCTAssertEqual(close, "CLOSE 1002 ", "\(mode)")
            let seen = server.output
            switch mode.first {
            case "--echo":
                let echo = try XCTUnwrap(seen.firstIndex(of: "FRAME 1 5 68656c6c6f"), "\(seen)")
                XCTAssertLessThan(echo, try XCTUnwrap(seen.firstIndex(of: close)), "the echo goes first")
            case "--format":
                XCTAssertEqual(result.output, "{\"type\":\"text\",\"data\":\"hello\"}\n")
            default:
                XCTAssertEqual(result.output, "hello\n")
            }
        }
    }
}

/// A stdin line of any length: sent as a fragmented message as it is read, in bounded memory.
final class LongLineTests: EndToEndTestCase {
    func testAGibibyteLineFromDevZeroIsStreamedInBoundedMemory() throws {
        let server = try self.startRawServer(["--sink"])
        let (status, maxRSS) = try WSCProcess.runMeasuringMemory(["--binary", server.url()], zeros: 1 << 30)
        XCTAssertEqual(status, 0)
        let message = try server.waitForLine(prefix: "MESSAGE", timeout: 60).split(separator: " ")
        XCTAssertEqual(message[1], "\(1 << 30)", "the whole line, as one message")
        XCTAssertGreaterThanOrEqual(Int(message[2]) ?? 0, 512, "in pieces of at most about 2 MiB")
        XCTAssertLessThan(maxRSS, 64 << 20)
    }

    /// A text line of 3 MB with a two-byte character at every possible piece boundary, then a short line:
    /// Python's websockets checks the reassembled message as UTF-8 and echoes both back unchanged.
    func testALongTextLineRoundTripsAsOneMessage() throws {
        let server = try self.startServer("echo", ["--max-size", "0"])
        var line = Data(repeating: 0x61, count: 3_000_000)
        for offset in stride(from: (1 << 20) - 2, to: line.count - 2, by: 1 << 20) {
            line.replaceSubrange(offset..<offset + 2, with: "é".utf8)
            line.replaceSubrange(offset + 3..<offset + 5, with: "é".utf8)
        }
        let input = line + Data("\nshort\n".utf8)
        let result = try WSCProcess.run(["-w", "2", server.url()], input: input, inputKind: .pipe)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, input)
    }

    func testInvalidUTF8InsideALongLineEndsTheInputWithExit8() throws {
        let server = try self.startRawServer(["--sink"])
        let input =
            Data("first\n".utf8) + Data(repeating: 0x61, count: 3_000_000) + Data([0xFF, 0x0A])
            + Data("never sent\n".utf8)
        let result = try WSCProcess.run([server.url()], input: input, inputKind: .pipe)
        XCTAssertEqual(result.status, 8, result.stderr)
        self.assertOneErrorLine(result, contains: "stdin line 2 is not valid UTF-8; use --binary")
        try server.waitForLine(prefix: "CLOSE")
        XCTAssertEqual(server.output.filter { $0.hasPrefix("MESSAGE") }, ["MESSAGE 5 1"])
    }
}

/// Standard descriptors that are full, non-blocking, failing or closed: nothing lost, nothing spins, one clear
/// line when output cannot be written.
final class StandardDescriptorTests: EndToEndTestCase {
    private func harness(_ options: [String], _ arguments: [String]) throws -> [String: String] {
        let (lines, status) = try self.runPeerClient(
            "stdio_harness.py",
            options + ["--", TestPaths.wsc.path] + arguments
        )
        XCTAssertEqual(status, 0)
        var fields: [String: String] = [:]
        for line in lines {
            let parts = line.split(separator: " ", maxSplits: 1)
            fields[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return fields
    }

    /// Stdout is a non-blocking pipe read 4 KiB at a time with a 20 ms pause, about 2 s for 400 KB: every byte
    /// comes out, and wsc waits for the pipe instead of spinning on EAGAIN. Spinning would burn about as much
    /// CPU time as the reading takes; echoing 400 KB takes a small fraction of a second.
    func testASlowlyReadNonBlockingStdoutLosesNothingAndDoesNotSpin() throws {
        let server = try self.startServer("echo")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wsc-stdio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let line = String(repeating: "x", count: 99) + "\n"
        let input = Data(String(repeating: line, count: 4_000).utf8)
        let inputURL = folder.appendingPathComponent("input")
        let outputURL = folder.appendingPathComponent("output")
        try input.write(to: inputURL)
        let fields = try self.harness(
            ["--slow-nonblocking-stdout", "--stdin", inputURL.path, "--save", outputURL.path],
            ["-w", "1", server.url()]
        )
        XCTAssertEqual(fields["STATUS"], "0")
        XCTAssertEqual(try Data(contentsOf: outputURL), input)
        XCTAssertLessThan(Double(fields["CPU"] ?? "") ?? .infinity, 1.0, "CPU seconds while stdout was full")
    }

    /// Started with 0, 1 and 2 closed, wsc's input and output are /dev/null, never a descriptor NIO opened
    /// (writing the server's message into one failed): the session runs as usual and ends cleanly.
    func testClosedStandardDescriptorsBecomeDevNull() throws {
        let server = try self.startRawServer(["--send", "810568656c6c6f", "--answer-close"])
        let fields = try self.harness(["--closed"], ["-x", "hello", "-w", "0.2", server.url()])
        XCTAssertEqual(fields["STATUS"], "0")
        XCTAssertEqual(try server.waitForLine(prefix: "FRAME"), "FRAME 1 5 68656c6c6f")
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1000 ")
    }

    /// Stdout on a full disk: one clean error line and exit 1.
    func testAStdoutThatCannotBeWrittenIsOneClearErrorLine() throws {
        let server = try self.startServer("push", ["--text", "hello", "--delay", "0"])
        let process = Process()
        process.executableURL = TestPaths.wsc
        process.arguments = ["-w", "-1", server.url()]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try XCTUnwrap(FileHandle(forWritingAtPath: "/dev/full"))
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(WSCProcess.wait(for: process, timeout: 20))
        XCTAssertEqual(process.terminationStatus, 1)
        XCTAssertEqual(stderr, "wsc: error: could not write to stdout: No space left on device\n")
    }
}

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

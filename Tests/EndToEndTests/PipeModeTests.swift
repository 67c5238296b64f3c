import Foundation
import XCTest

/// Pipe mode against a real Python `websockets` echo server: stdin lines in, received messages out.
final class PipeModeTests: EndToEndTestCase {
    func testHundredThousandLinesComeBackIdenticalAndInOrder() throws {
        let server = try self.startServer()
        var input = ""
        for number in 1...100_000 {
            input += "line \(number) of the echo test ✓\n"
        }
        let result = try WSCProcess.run([server.url()], input: Data(input.utf8), inputKind: .pipe, timeout: 240)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout == Data(input.utf8), "echoed output differs from the input")
    }

    func testLinesLongerThanOneReadComeBackWhole() throws {
        let server = try self.startServer()
        let long = String(repeating: "0123456789abcdef", count: 3 << 16)  // 3 MiB, many reads long
        let input = "short\n" + long + "\n" + long.uppercased() + "\nend\n"
        let result = try WSCProcess.run([server.url()], input: Data(input.utf8), inputKind: .pipe)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout == Data(input.utf8), "long lines differ after the round trip")
    }

    func testCRLFLinesAreSentWithoutTheLineEnd() throws {
        let server = try self.startServer()
        let result = try WSCProcess.run([server.url()], input: Data("one\r\ntwo\r\nlast without newline".utf8))
        XCTAssertEqual(result.output, "one\ntwo\nlast without newline\n")
        XCTAssertEqual(result.status, 0)
    }

    func testEmptyLinesAreSentAsEmptyMessages() throws {
        let server = try self.startServer()
        let result = try WSCProcess.run([server.url()], input: Data("a\n\n\nb\n".utf8))
        XCTAssertEqual(result.output, "a\n\n\nb\n")
    }

    func testLinesWrittenBeforeTheHandshakeCompletesAreKept() throws {
        let server = try self.startServer("slow-accept", ["--delay", "0.7"])
        let result = try WSCProcess.run([server.url()], input: Data("early 1\nearly 2\n".utf8), inputKind: .pipe)
        XCTAssertEqual(result.output, "early 1\nearly 2\n")
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testBinaryModeSendsLinesAsBinaryAndPrintsBinaryRaw() throws {
        let server = try self.startServer()
        let input = Data([0x61, 0xFF, 0x00, 0x0A, 0x80, 0x81, 0x0A])
        let result = try WSCProcess.run(["--binary", server.url()], input: input)
        XCTAssertEqual(result.stdout, Data([0x61, 0xFF, 0x00, 0x80, 0x81]))
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testExecuteSendsMessagesThenClosesAfterTheServerGoesQuiet() throws {
        let server = try self.startServer()
        let result = try WSCProcess.run(
            ["-x", "first", "-x", "second", "-w", "0.3", server.url()],
            input: Data("not read\n".utf8)
        )
        XCTAssertEqual(result.output, "first\nsecond\n")
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testFragmentedMessagesAreJoinedAndPingsAnswered() throws {
        let server = try self.startServer("fragments")
        let result = try WSCProcess.run(["-w", "0.5", server.url()])
        var expected = Data("fragmented\npong received\n".utf8)
        expected.append(Data((0...255).map { UInt8($0) }))
        expected.append(Data("done\n".utf8))
        XCTAssertEqual(result.stdout, expected)
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testOutputIsFlushedAsMessagesArrive() throws {
        let server = try self.startServer("push", ["--text", "pushed while waiting", "--delay", "0.3"])
        let process = Process()
        process.executableURL = TestPaths.wsc
        process.arguments = ["-w", "-1", server.url()]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = Pipe()
        try process.run()
        defer { _ = WSCProcess.wait(for: process, timeout: 0) }
        let reader = output.fileHandleForReading
        var seen = Data()
        let deadline = Date().addingTimeInterval(10)
        while !String(decoding: seen, as: UTF8.self).contains("\n"), Date() < deadline {
            seen.append(reader.availableData)
        }
        XCTAssertEqual(String(decoding: seen, as: UTF8.self), "pushed while waiting\n")
        XCTAssertTrue(process.isRunning, "wsc should still be waiting for more (-w -1)")
        process.terminate()
        XCTAssertTrue(WSCProcess.wait(for: process, timeout: 10))
        XCTAssertEqual(process.terminationStatus, 130)
    }

    func testHeadClosingTheOutputEndsQuietly() throws {
        let server = try self.startServer()
        let script =
            "seq 1 200000 2>/dev/null | '\(TestPaths.wsc.path)' '\(server.url())' 2>err | head -1; echo \"${PIPESTATUS[1]}\" > status"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wsc-head-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.arguments = ["-c", script]
        shell.currentDirectoryURL = folder
        let output = Pipe()
        shell.standardOutput = output
        try shell.run()
        XCTAssertTrue(WSCProcess.wait(for: shell, timeout: 60), "the pipeline did not end")
        XCTAssertEqual(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "1\n")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("err"), encoding: .utf8), "")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("status"), encoding: .utf8), "0\n")
    }

    func testInvalidUTF8LineIsAnInputErrorNamingTheLine() throws {
        let server = try self.startServer()
        let result = try WSCProcess.run([server.url()], input: Data([0x6F, 0x6B, 0x0A, 0xC3, 0x28, 0x0A]))
        XCTAssertEqual(result.status, 8)
        self.assertOneErrorLine(result, contains: "stdin line 2 is not valid UTF-8")
        XCTAssertEqual(result.output, "ok\n", "the valid line before it is still sent and echoed")
    }

    func testTimestampsPrefixReceivedMessages() throws {
        let server = try self.startServer()
        let result = try WSCProcess.run(["--timestamps", server.url()], input: Data("hi\n".utf8))
        XCTAssertNotNil(result.output.wholeMatch(of: /\d\d:\d\d:\d\d\.\d\d\d hi\n/), result.output)
    }
}

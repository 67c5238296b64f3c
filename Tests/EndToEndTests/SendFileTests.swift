import Foundation
import XCTest

/// `--send-file`, `--text` and `-0` against real echo servers: what is sent comes back byte for byte, one
/// message per file or record, in command-line order.
final class SendFileTests: EndToEndTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        self.folder = FileManager.default.temporaryDirectory.appendingPathComponent("wsc-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        let folder = self.folder!
        self.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    }

    /// Writes `data` to a file in the test's folder and returns its path.
    private func file(_ name: String, _ data: Data) throws -> String {
        let url = self.folder.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    private func randomData(_ count: Int) -> Data {
        let words = (0..<(count + 7) / 8).map { _ in UInt64.random(in: .min ... .max) }
        return words.withUnsafeBytes { Data($0.prefix(count)) }
    }

    /// An echo server that closes with 1000 once it has echoed `count` messages, so that `wsc -w -1` ends
    /// when every echo has arrived, however long they take.
    private func startEchoServer(count: Int, compression: Bool = false) throws -> PeerServer {
        try self.startServer("echo-count", ["--count", "\(count)"] + (compression ? ["--compression"] : []))
    }

    /// Each stdout line of `--format jsonl` as its type and payload.
    private func messages(_ result: WSCResult) throws -> [(type: String, data: Data)] {
        try result.output.split(separator: "\n").map { line in
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
            let type = try XCTUnwrap(object["type"])
            let text = try XCTUnwrap(object["data"])
            return (type, type == "binary" ? try XCTUnwrap(Data(base64Encoded: text)) : Data(text.utf8))
        }
    }

    func testRandomFilesComeBackByteExactWithAndWithoutCompression() throws {
        let contents = [0, 1, 1 << 20, 20 << 20].map { self.randomData($0) }
        let paths = try contents.enumerated().map { try self.file("random-\($0.offset)", $0.element) }
        for compression in [false, true] {
            let server = try self.startEchoServer(count: contents.count, compression: compression)
            let result = try WSCProcess.run(
                ["--format", "jsonl", "-w", "-1"] + paths.flatMap { ["--send-file", $0] } + [server.url()],
                timeout: 180
            )
            XCTAssertEqual(result.status, 0, result.stderr)
            let messages = try self.messages(result)
            XCTAssertEqual(
                messages.map(\.type),
                ["binary", "binary", "binary", "binary"],
                "compression: \(compression)"
            )
            XCTAssertTrue(messages.map(\.data) == contents, "the files differ after the round trip")
            XCTAssertFalse(result.stderr.contains("sending"), "no progress line on a pipe: \(result.stderr)")
        }
    }

    func testStdinIsOneMessageAndTakesItsPlaceAmongTheOthers() throws {
        let first = try self.file("first.txt", Data("file one\nwith two lines".utf8))
        let second = try self.file("second.bin", Data([0, 1, 2, 0xFF]))
        let server = try self.startEchoServer(count: 5)
        let result = try WSCProcess.run(
            ["--format", "jsonl", "-w", "-1", "-x", "a", "--send-file", first, "--send-file", "-", "-x", "b"]
                + ["--send-file", second, server.url()],
            input: Data("all of\nstdin\n".utf8)
        )
        XCTAssertEqual(result.status, 0, result.stderr)
        let messages = try self.messages(result)
        XCTAssertEqual(messages.map(\.type), ["text", "binary", "binary", "text", "binary"])
        XCTAssertEqual(
            messages.map(\.data),
            [Data("a".utf8), Data("file one\nwith two lines".utf8), Data("all of\nstdin\n".utf8), Data("b".utf8)]
                + [Data([0, 1, 2, 0xFF])]
        )
    }

    func testALargeStdinIsOneMessageSentInBoundedMemory() throws {
        let server = try self.startRawServer(["--sink"])
        let size = 256 << 20
        let (status, maxRSS) = try WSCProcess.runMeasuringMemory(["--send-file", "-", server.url()], zeros: size)
        XCTAssertEqual(status, 0)
        let message = try server.waitForLine(prefix: "MESSAGE", timeout: 60).split(separator: " ")
        XCTAssertEqual(message[1], "\(size)", "all of stdin, as one message")
        XCTAssertGreaterThanOrEqual(Int(message[2]) ?? 0, 128, "in fragments of at most a MiB")
        XCTAssertLessThan(maxRSS, 64 << 20)
    }

    func testTextSendsUTF8FilesAsTextAndRefusesOthers() throws {
        let valid = try self.file("valid.txt", Data("héllo ✓\nsecond line".utf8))
        let server = try self.startEchoServer(count: 1)
        let text = try WSCProcess.run(["--format", "jsonl", "-w", "-1", "--text", "--send-file", valid, server.url()])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertEqual(try self.messages(text).map(\.type), ["text"])
        XCTAssertEqual(try self.messages(text).map(\.data), [Data("héllo ✓\nsecond line".utf8)])

        let invalid = try self.file("invalid.txt", Data([0x6F, 0x6B, 0xC3, 0x28]))
        let refusing = try self.startServer()
        let result = try WSCProcess.run(["--text", "-x", "before", "--send-file", invalid, refusing.url()])
        XCTAssertEqual(result.status, 8, result.stderr)
        self.assertOneErrorLine(result, contains: "the file '\(invalid)' is not valid UTF-8")
        XCTAssertEqual(result.output, "before\n", "what came before it is sent; the file is not")
    }

    func testFilesThatCannotBeReadAreUsageErrorsBeforeConnecting() throws {
        let closedPort = try ClosedPort.find()
        for (path, reason) in [
            (self.folder.appendingPathComponent("missing").path, "No such file or directory"),
            (self.folder.path, "it is a directory"),
        ] {
            let result = try WSCProcess.run(["--send-file", path, "ws://127.0.0.1:\(closedPort)/"])
            XCTAssertEqual(result.status, 2, result.stderr)
            self.assertOneErrorLine(result, contains: "--send-file: cannot read '\(path)': \(reason)")
        }
    }

    func testServersCloseWith1009NamesTheSizeSent() throws {
        let path = try self.file("large.bin", self.randomData(3 << 20))
        let server = try self.startServer("echo", ["--max-size", "\(1 << 20)"])
        let result = try WSCProcess.run(["--send-file", path, server.url()])
        XCTAssertEqual(result.status, 7, result.stderr)
        self.assertOneErrorLine(result, contains: "wsc sent a message of \(3 << 20) bytes (the file '\(path)')")
        XCTAssertTrue(result.stderr.contains("server closed the connection: 1009 (message too big)"), result.stderr)
    }

    func testProgressLineOnATerminalIsErasedWhenTheFileIsSent() throws {
        let script = URL(fileURLWithPath: "/usr/bin/script")
        guard FileManager.default.isExecutableFile(atPath: script.path) else {
            throw XCTSkip("no script(1) to give wsc a terminal")
        }
        let path = try self.file("large.bin", self.randomData(8 << 20))
        let server = try self.startEchoServer(count: 1)
        // script(1) gives wsc a terminal for stderr (and stdin); stdout, the echo, is thrown away.
        let command = "'\(TestPaths.wsc.path)' -w -1 --send-file '\(path)' '\(server.url())' > /dev/null"
        let process = Process()
        process.executableURL = script
        process.arguments = ["-q", "-e", "-c", command, "/dev/null"]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let terminal = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(WSCProcess.wait(for: process, timeout: 60))
        XCTAssertEqual(process.terminationStatus, 0, terminal)
        XCTAssertTrue(terminal.contains("\r\u{1B}[Kwsc: sending the file '\(path)': "), terminal)
        XCTAssertTrue(terminal.contains(" of 8.0 MiB ("), terminal)
        XCTAssertTrue(
            terminal.contains("\r\u{1B}[Kwsc: server closed the connection: 1000 (normal closure)"),
            "the line is erased before the close report: \(terminal.debugDescription)"
        )
    }

    func testNULSeparatedRecordsKeepTheirNewlines() throws {
        let input = Data("one\ntwo\0three\r\n\0\0last without NUL".utf8)
        let records = ["one\ntwo", "three\r\n", "", "last without NUL"].map { Data($0.utf8) }
        for (arguments, type) in [(["-0"], "text"), (["--null", "--binary"], "binary")] {
            let server = try self.startEchoServer(count: records.count)
            let result = try WSCProcess.run(
                ["--format", "jsonl", "-w", "-1"] + arguments + [server.url()],
                input: input
            )
            XCTAssertEqual(result.status, 0, result.stderr)
            let messages = try self.messages(result)
            XCTAssertEqual(messages.map(\.type), Array(repeating: type, count: records.count), "\(arguments)")
            XCTAssertEqual(messages.map(\.data), records, "\(arguments)")
        }
        let server = try self.startServer()
        let invalid = try WSCProcess.run(["-0", server.url()], input: Data([0x61, 0, 0xC3, 0x28, 0]))
        XCTAssertEqual(invalid.status, 8)
        self.assertOneErrorLine(invalid, contains: "stdin record 2 is not valid UTF-8")
    }
}

import Foundation
import XCTest

/// `wsc --listen` against clients that mean harm or just do not keep up (issue 12, point 4): one client
/// cannot hold up the others, fill wsc's memory, or use up its descriptors.
final class ListenHostileClientTests: EndToEndTestCase {
    /// Two clients, one of which reads nothing: the other gets every one of 20 MB of stdin lines, and the one
    /// that does not read is closed with 1008 "too slow" once it is 8 MiB behind.
    func testAClientThatNeverReadsIsClosedWith1008AndDoesNotStallTheOthers() throws {
        let input = Pipe()
        let listener = try self.startListener(["--close-timeout", "60"], stdin: input)
        defer { try? input.fileHandleForWriting.close() }
        let (slow, release, slowOutput) = try self.startPeer(
            "raw_client.py",
            ["\(listener.port)", "--read-after-stdin"]
        )
        defer { _ = WSCProcess.wait(for: slow, timeout: 0) }
        try listener.waitForStatus("connected")

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wsc-fast-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let received = folder.appendingPathComponent("received")
        _ = FileManager.default.createFile(atPath: received.path, contents: nil)
        let fast = Process()
        fast.executableURL = TestPaths.wsc
        fast.arguments = ["-w", "-1", "--no-compression", listener.url]
        fast.standardInput = FileHandle.nullDevice
        fast.standardOutput = try FileHandle(forWritingTo: received)
        fast.standardError = FileHandle.nullDevice
        try fast.run()
        defer { _ = WSCProcess.wait(for: fast, timeout: 0) }
        try self.waitUntil("both clients connected") {
            listener.stderr.components(separatedBy: ": connected").count == 3
        }

        let lines = 20_000
        let line = String(repeating: "x", count: 999) + "\n"
        let sent = Data(String(repeating: line, count: lines).utf8)
        let feeder = Thread { try? input.fileHandleForWriting.write(contentsOf: sent) }
        feeder.start()
        try self.waitUntil("the reading client received all \(sent.count) bytes", timeout: 60) {
            ((try? FileManager.default.attributesOfItem(atPath: received.path)[.size]) as? Int ?? 0) >= sent.count
        }
        XCTAssertTrue(try Data(contentsOf: received) == sent, "every line, in order")

        try release.fileHandleForWriting.write(contentsOf: Data("\n".utf8))
        XCTAssertTrue(WSCProcess.wait(for: slow, timeout: 30))
        let slowLines = String(decoding: slowOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        XCTAssertEqual(slowLines.first, "HTTP/1.1 101 Switching Protocols")
        XCTAssertEqual(slowLines.last, "CLOSE 1008", "\(slowLines)")
        let messages = Int(slowLines.dropLast().last?.dropFirst("MESSAGES ".count) ?? "") ?? lines
        XCTAssertLessThan(messages, lines, "the client that did not read was dropped before the end")
        try listener.waitForStatus("closed: 1008 (policy violation) \"too slow\"")
        XCTAssertEqual(listener.stop().status, 0)
    }

    /// Starts a peer script in the background; its stdin and stdout are pipes.
    private func startPeer(_ script: String, _ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = TestPaths.python
        process.arguments = [TestPaths.peer(script).path] + arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        return (process, input, output)
    }

    /// Polls `condition` every 10 ms; throws once `timeout` seconds have passed without it holding.
    private func waitUntil(_ what: String, timeout: TimeInterval = 20, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
        throw PeerTimeout(description: "timed out waiting until \(what)")
    }
}

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

    /// 100 clients each send, with their upgrade request, about 16 KB of deflate data that inflate to just
    /// under the 16 MiB message limit of `--listen`, while stdout is blocked: wsc holds at most its shared
    /// budget of inflated messages (64 MiB) and one message more, instead of one per client (1.6 GB before),
    /// and a well-behaved client still connects and gets the server's stdin lines.
    func testDeflateBombsFromAHundredClientsStayWithinTheSharedBudget() throws {
        let input = Pipe()
        let blockedOutput = Pipe()
        let listener = try self.startListener(["--close-timeout", "0.5"], stdin: input, stdout: blockedOutput)
        defer { try? blockedOutput.fileHandleForReading.close() }
        defer { try? input.fileHandleForWriting.close() }
        let (bombs, release, bombOutput) = try self.startPeer(
            "raw_client.py",
            ["\(listener.port)", "--bombs", "100", "--bomb-size", "\((16 << 20) - 1024)"]
        )
        defer { _ = WSCProcess.wait(for: bombs, timeout: 0) }
        let sent = String(decoding: bombOutput.fileHandleForReading.availableData, as: UTF8.self)
        XCTAssertTrue(sent.hasPrefix("SENT 100"), sent)
        try self.waitUntil("all 100 connected") {
            listener.stderr.components(separatedBy: ": connected").count > 100
        }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wsc-good-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let received = folder.appendingPathComponent("received")
        _ = FileManager.default.createFile(atPath: received.path, contents: nil)
        let client = Process()
        client.executableURL = TestPaths.wsc
        client.arguments = ["-w", "-1", listener.url]
        client.standardInput = FileHandle.nullDevice
        client.standardOutput = try FileHandle(forWritingTo: received)
        client.standardError = FileHandle.nullDevice
        try client.run()
        defer { _ = WSCProcess.wait(for: client, timeout: 0) }
        try self.waitUntil("the well-behaved client connected") {
            listener.stderr.components(separatedBy: ": connected").count > 101
        }
        try input.fileHandleForWriting.write(contentsOf: Data("still served\n".utf8))
        try self.waitUntil("the well-behaved client got the stdin line") {
            (try? Data(contentsOf: received)) == Data("still served\n".utf8)
        }

        let peak = listener.peakMemory
        XCTAssertGreaterThan(peak, 0)
        XCTAssertLessThan(peak, 192 << 20, "peak RSS \(peak >> 20) MiB")
        try release.fileHandleForWriting.write(contentsOf: Data("\n".utf8))
        XCTAssertTrue(WSCProcess.wait(for: bombs, timeout: 20))
        XCTAssertEqual(listener.stop().status, 0)
    }

    /// With 64 descriptors, 100 connections that never send their request: wsc keeps its clients below the
    /// limit, each newcomer taking the place of the oldest idle one, and a real client is served at once.
    func testIdleConnectionsBeyondTheDescriptorLimitGiveWayToARealClient() throws {
        let listener = try self.startListener(["--echo"], launcher: ["/usr/bin/prlimit", "--nofile=64:64"])
        let (idle, release, output) = try self.startPeer("raw_client.py", ["\(listener.port)", "--idle", "100"])
        defer { _ = WSCProcess.wait(for: idle, timeout: 0) }
        let opened = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        XCTAssertTrue(opened.hasPrefix("OPEN 100"), opened)

        let (lines, status) = try self.runPeerClient("ws_client.py", [listener.url, "--text", "real"])
        XCTAssertEqual(status, 0, "\(lines)")
        XCTAssertEqual(lines.last, "ECHO OK 1")
        try listener.waitForStatus("at most 32 clients at once: the limit on open files is 64")
        try release.fileHandleForWriting.write(contentsOf: Data("\n".utf8))
        XCTAssertTrue(WSCProcess.wait(for: idle, timeout: 20))
        XCTAssertEqual(listener.stop().status, 0)
    }

    /// With 64 descriptors, 32 idle sessions (the most wsc then allows) and 100 more connections, each
    /// answered 503 and held open for up to 5 s, use up every descriptor with no opening handshake to drop:
    /// accepting fails with EMFILE and wsc pauses it instead of retrying at once (it spun at 100 % CPU), and
    /// once the idle clients have gone a real client is served.
    func testAcceptingPausesWhenDescriptorsRunOutWithNoHandshakeToDrop() throws {
        let listener = try self.startListener(["--echo"], launcher: ["/usr/bin/prlimit", "--nofile=64:64"])
        let (idle, release, output) = try self.startPeer(
            "raw_client.py",
            ["\(listener.port)", "--sessions", "32", "--idle", "100"]
        )
        defer { _ = WSCProcess.wait(for: idle, timeout: 0) }
        let opened = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        XCTAssertTrue(opened.hasPrefix("OPEN 132"), opened)
        try self.waitUntil("wsc has all 64 descriptors open") { listener.openDescriptors >= 64 }
        let before = listener.cpuSeconds
        // A window to measure CPU time in, not a wait for an event. A spinning accept loop uses all of it
        // but the first second, when NIO's own backoff holds the first retry: 2 CPU seconds, against 0.01.
        Thread.sleep(forTimeInterval: 3)
        XCTAssertLessThan(listener.cpuSeconds - before, 0.9, "CPU seconds in 3 s out of descriptors")

        try release.fileHandleForWriting.write(contentsOf: Data("\n".utf8))
        XCTAssertTrue(WSCProcess.wait(for: idle, timeout: 20))
        let (lines, status) = try self.runPeerClient("ws_client.py", [listener.url, "--text", "real"])
        XCTAssertEqual(status, 0, "\(lines)")
        XCTAssertEqual(lines.last, "ECHO OK 1")
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

    /// At `--max-clients 1` with one session open, later connections are answered 503 with `Retry-After`, whole
    /// (not reset, though their request arrived first), and only the first of the burst is reported.
    func testConnectionsBeyondTheCapAreAnswered503AndReportedOncePerBurst() throws {
        let listener = try self.startListener(["--max-clients", "1"])
        let client = Process()
        client.executableURL = TestPaths.python
        client.arguments = [TestPaths.peer("ws_client.py").path, listener.url, "--expect-close"]
        client.standardOutput = FileHandle.nullDevice
        try client.run()
        defer { _ = WSCProcess.wait(for: client, timeout: 0) }
        try listener.waitForStatus("connected")
        for _ in 0..<3 {
            let (lines, _) = try self.runPeerClient("raw_client.py", ["\(listener.port)"])
            XCTAssertEqual(lines.first, "HTTP/1.1 503 Service Unavailable", "\(lines)")
        }
        let result = listener.stop()
        XCTAssertEqual(
            result.stderr.components(separatedBy: "connections are open, the most allowed").count,
            2,
            result.stderr
        )
    }
}

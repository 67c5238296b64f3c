import Foundation
import XCTest

/// `wsc --listen` running in the background for a test: started on port 0 of 127.0.0.1, with its port read
/// from the `listening on` status line; ``stop(signal:)`` ends it and returns what it printed.
final class WSCListener: @unchecked Sendable {
    private let process = Process()
    private let folder: URL
    private let stdoutURL: URL
    private let stderrURL: URL
    /// The port it listens on.
    private(set) var port = 0

    /// Starts `wsc --listen 127.0.0.1:0` with `arguments`; stdin is `stdin` when given, else a file holding
    /// `input`; stdout is `stdout` when given (and then not returned by ``stop(signal:)``), else a file.
    /// `launcher` is a command that runs wsc in its place (`prlimit --nofile=64:64`), as `exec` does.
    init(
        _ arguments: [String],
        input: Data = Data(),
        stdin: Pipe? = nil,
        stdout: Pipe? = nil,
        launcher: [String] = []
    ) throws {
        self.folder = FileManager.default.temporaryDirectory.appendingPathComponent("wsc-listen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        self.stdoutURL = self.folder.appendingPathComponent("stdout")
        self.stderrURL = self.folder.appendingPathComponent("stderr")
        let stdinURL = self.folder.appendingPathComponent("stdin")
        try input.write(to: stdinURL)
        _ = FileManager.default.createFile(atPath: self.stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: self.stderrURL.path, contents: nil)
        let command = launcher + [TestPaths.wsc.path, "--listen", "127.0.0.1:0"] + arguments
        self.process.executableURL = URL(fileURLWithPath: command[0])
        self.process.arguments = Array(command.dropFirst())
        self.process.standardInput = try stdin ?? FileHandle(forReadingFrom: stdinURL)
        self.process.standardOutput = try stdout ?? FileHandle(forWritingTo: self.stdoutURL)
        self.process.standardError = try FileHandle(forWritingTo: self.stderrURL)
        try self.process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline && self.process.isRunning {
            if let match = self.stderr.firstMatch(of: /listening on ws:\/\/127\.0\.0\.1:(\d+)\//) {
                self.port = Int(match.output.1)!
                return
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        _ = self.stop()
        throw PeerTimeout(description: "wsc --listen did not report its port; stderr: \(self.stderr)")
    }

    /// `ws://127.0.0.1:<port>/`.
    var url: String { "ws://127.0.0.1:\(self.port)/" }

    /// What it wrote to stderr so far.
    var stderr: String {
        String(decoding: (try? Data(contentsOf: self.stderrURL)) ?? Data(), as: UTF8.self)
    }

    /// The most memory the process has had resident so far (`VmHWM` in `/proc/PID/status`), in bytes.
    var peakMemory: Int {
        let path = "/proc/\(self.process.processIdentifier)/status"
        let status = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }

    /// The CPU time the process has used so far (user and system, from `/proc/PID/stat`), in seconds.
    var cpuSeconds: Double {
        let stat = (try? String(contentsOfFile: "/proc/\(self.process.processIdentifier)/stat", encoding: .utf8)) ?? ""
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// How many descriptors the process has open (the entries of `/proc/PID/fd`).
    var openDescriptors: Int {
        let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(self.process.processIdentifier)/fd")
        return entries?.count ?? 0
    }

    /// Waits until stderr contains `text`; fails after `timeout` seconds.
    func waitForStatus(_ text: String, timeout: TimeInterval = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if self.stderr.contains(text) { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
        throw PeerTimeout(description: "wsc --listen did not print '\(text)'; stderr: \(self.stderr)")
    }

    /// Sends `signal` (SIGTERM unless told) and waits up to 20 s; returns the result, status -1 if it hung.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> WSCResult {
        if self.process.isRunning {
            kill(self.process.processIdentifier, signal)
        }
        let finished = WSCProcess.wait(for: self.process, timeout: 20)
        defer { try? FileManager.default.removeItem(at: self.folder) }
        return WSCResult(
            stdout: (try? Data(contentsOf: self.stdoutURL)) ?? Data(),
            stderr: self.stderr,
            status: finished ? self.process.terminationStatus : -1
        )
    }

    /// Waits for the process to exit on its own (up to `timeout` seconds) and returns the result.
    func waitForExit(timeout: TimeInterval = 20) -> WSCResult {
        let deadline = Date().addingTimeInterval(timeout)
        while self.process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        return self.stop()
    }
}

extension EndToEndTestCase {
    /// Starts `wsc --listen` and stops it when the test ends.
    func startListener(
        _ arguments: [String],
        input: Data = Data(),
        stdin: Pipe? = nil,
        stdout: Pipe? = nil,
        launcher: [String] = []
    ) throws -> WSCListener {
        let listener = try WSCListener(arguments, input: input, stdin: stdin, stdout: stdout, launcher: launcher)
        self.addTeardownBlock { listener.stop() }
        return listener
    }

    /// Runs a peer script as a client to completion (at most 30 s) and returns its stdout lines and status.
    func runPeerClient(_ script: String, _ arguments: [String]) throws -> (lines: [String], status: Int32) {
        let process = Process()
        process.executableURL = TestPaths.python
        process.arguments = [TestPaths.peer(script).path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        XCTAssertTrue(WSCProcess.wait(for: process, timeout: 30), "\(script) did not finish")
        return (
            String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init), process.terminationStatus
        )
    }
}

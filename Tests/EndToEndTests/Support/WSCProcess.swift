import Foundation
import XCTest

/// One run of the built `wsc` binary, as a user would run it: arguments, bytes on stdin, and what came out.
struct WSCResult {
    /// Everything written to stdout.
    var stdout: Data
    /// Everything written to stderr, as text.
    var stderr: String
    /// The exit status.
    var status: Int32

    /// Stdout as text.
    var output: String { String(decoding: self.stdout, as: UTF8.self) }
    /// Stderr's lines.
    var errorLines: [String] { self.stderr.split(separator: "\n").map(String.init) }
}

/// Runs `wsc`. Stdin is a file with `input` (the default) or a pipe fed by a writer thread; stdout and
/// stderr go to files so that neither can fill up and block the process. A run that takes longer than
/// `timeout` seconds is killed and reported as status -1.
enum WSCProcess {
    enum InputKind {
        case file
        case pipe
    }

    static func run(
        _ arguments: [String],
        input: Data = Data(),
        inputKind: InputKind = .file,
        environment: [String: String] = [:],
        timeout: TimeInterval = 60
    ) throws -> WSCResult {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wsc-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stdoutURL = folder.appendingPathComponent("stdout")
        let stderrURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)

        let process = Process()
        process.executableURL = TestPaths.wsc
        process.arguments = arguments
        process.environment = self.inheritedEnvironment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)

        var feeder: Thread?
        switch inputKind {
        case .file:
            let stdinURL = folder.appendingPathComponent("stdin")
            try input.write(to: stdinURL)
            process.standardInput = try FileHandle(forReadingFrom: stdinURL)
        case .pipe:
            let pipe = Pipe()
            process.standardInput = pipe
            feeder = Thread {
                try? pipe.fileHandleForWriting.write(contentsOf: input)
                try? pipe.fileHandleForWriting.close()
            }
        }
        try process.run()
        feeder?.start()
        let finished = self.wait(for: process, timeout: timeout)
        return WSCResult(
            stdout: try Data(contentsOf: stdoutURL),
            stderr: String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self),
            status: finished ? process.terminationStatus : -1
        )
    }

    /// The test runner's environment without the proxy variables a developer's shell may set, which would send
    /// wsc through that proxy, or around the tests' own: a test that wants them sets them.
    static var inheritedEnvironment: [String: String] {
        let proxyVariables: Set = ["http_proxy", "https_proxy", "all_proxy", "no_proxy"]
        return ProcessInfo.processInfo.environment.filter { !proxyVariables.contains($0.key.lowercased()) }
    }

    /// Runs wsc under `Peers/max_rss.py`, which reports the child's peak resident set size (`ru_maxrss`); with
    /// `zeros`, stdin is a pipe that many zero bytes long. Stdout is discarded.
    static func runMeasuringMemory(_ arguments: [String], zeros: Int = 0) throws -> (status: Int32, maxRSS: Int) {
        let process = Process()
        process.executableURL = TestPaths.python
        process.arguments =
            [TestPaths.peer("max_rss.py").path] + (zeros > 0 ? ["--zeros", "\(zeros)"] : [])
            + [TestPaths.wsc.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        XCTAssertTrue(WSCProcess.wait(for: process, timeout: 120))
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last ?? ""
        let kibibytes = Int(line.dropFirst("MAXRSS ".count)) ?? Int.max / 1024
        return (process.terminationStatus, kibibytes * 1024)
    }

    /// Waits for `process` up to `timeout` seconds; kills it and returns false when it does not end.
    static func wait(for process: Process, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
        guard process.isRunning else { return true }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
    }
}

/// Runs another program to its end (a shell script, `ldd`) and returns its stdout and exit status.
enum Program {
    static func run(
        _ path: String,
        _ arguments: [String],
        environment: [String: String]? = nil
    ) throws -> (output: String, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment {
            process.environment = environment
        }
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (text, process.terminationStatus)
    }
}

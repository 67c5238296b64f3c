import Foundation
import XCTest

/// A test peer (a Python script in `Peers/`) running in its own process on 127.0.0.1.
///
/// The script prints `PORT <n>` when it listens; every later line of its stdout is kept, so a test can wait
/// for what the peer saw (for example `CLOSE 1002`). ``stop()`` ends the process; tests call it in a `defer`.
final class PeerServer: @unchecked Sendable {
    private let process = Process()
    /// Signalled when the reader thread has seen the end of the peer's output.
    private let outputEnded = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var lines: [String] = []
    private var partial = Data()
    /// The port the peer listens on.
    private(set) var port = 0

    /// Starts `script` with `arguments` and waits (at most 20 s) for its port.
    init(_ script: String, _ arguments: [String] = []) throws {
        self.process.executableURL = TestPaths.python
        self.process.arguments = [TestPaths.peer(script).path] + arguments
        let output = Pipe()
        self.process.standardOutput = output
        self.process.standardError = FileHandle.standardError
        try self.process.run()
        // A thread of its own reads the output to its end with blocking reads. A readabilityHandler's dispatch
        // source stayed registered on the pipe after the peer exited, and the pipe's descriptor was closed under
        // it when the server went away: libdispatch then crashed the test process on a later event.
        let reader = Thread { [output, outputEnded] in
            while true {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                self.take(data)
            }
            outputEnded.signal()
        }
        reader.start()
        let portLine = try self.waitForLine(prefix: "PORT ", timeout: 20)
        self.port = Int(portLine.dropFirst("PORT ".count))!
    }

    /// `ws://127.0.0.1:<port>` followed by `path`.
    func url(_ path: String = "/") -> String {
        "ws://127.0.0.1:\(self.port)\(path)"
    }

    /// Waits for the `count`th line of the peer's output starting with `prefix`, and returns the first; fails
    /// after `timeout` seconds.
    @discardableResult
    func waitForLine(prefix: String, count: Int = 1, timeout: TimeInterval = 10) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let matching = self.lock.withLock { self.lines.filter { $0.hasPrefix(prefix) } }
            if matching.count >= count {
                return matching[0]
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        throw PeerTimeout(
            description: "peer printed no \(count) lines starting with '\(prefix)' in \(timeout) s; saw \(self.output)"
        )
    }

    /// Every line the peer printed so far.
    var output: [String] {
        self.lock.withLock { self.lines }
    }

    /// Ends the peer process and waits for it, and for the end of its output (at most 10 s: a server the peer
    /// started may hold the pipe a little longer).
    func stop() {
        if self.process.isRunning {
            self.process.terminate()
        }
        self.process.waitUntilExit()
        if self.outputEnded.wait(timeout: .now() + 10) == .success {
            self.outputEnded.signal()  // a second stop() need not wait
        }
    }

    private func take(_ data: Data) {
        self.lock.withLock {
            self.partial.append(data)
            while let newline = self.partial.firstIndex(of: 0x0A) {
                self.lines.append(String(decoding: self.partial[..<newline], as: UTF8.self))
                self.partial.removeSubrange(...newline)
            }
        }
    }
}

/// A peer did not print what a test waited for.
struct PeerTimeout: Error, CustomStringConvertible {
    let description: String
}

import Foundation
import XCTest

/// `make run`'s script (`.ci/run-demo`): wsc's own echo server on a free port, the REPL on it, and the server
/// stopped however the session ends.
final class RunDemoTests: ReplTestCase {
    /// Runs the demo script with the wsc under test in a new terminal; `[demo exited N]` follows its end.
    private func startDemo(_ arguments: [String] = [], waitForPrompt: Bool = true) throws -> TmuxSession {
        let script = TestPaths.packageRoot.appendingPathComponent(".ci/run-demo").path
        let command = ([script, TestPaths.wsc.path] + arguments).map(Self.quoted).joined(separator: " ")
        let environment = "LANG=C.UTF-8 XDG_STATE_HOME=\(Self.quoted(self.folder.path))"
        let run = "trap : INT; \(command); echo \"[demo exited $?]\"; exec sleep 600"
        let terminal = try TmuxSession(command: "env \(environment) sh -c \(Self.quoted(run))", width: 120)
        self.addTeardownBlock { terminal.kill() }
        if waitForPrompt {
            try terminal.waitForScreen("the prompt") { $0.last == ">" }
        }
        return terminal
    }

    /// The echo server's process id: the `wsc --listen` among the descendants of the pane's shell.
    private func serverPID(under terminal: TmuxSession) throws -> Int32 {
        var queue = [try terminal.panePID()]
        while !queue.isEmpty {
            let pid = queue.removeFirst()
            let arguments = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
            if arguments.split(separator: "\0").contains("--listen") {
                return pid
            }
            let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
            queue += children.split(separator: " ").compactMap { Int32($0) }
        }
        throw TmuxFailure(description: "no wsc --listen under the pane")
    }

    /// Whether `pid` is gone (or a zombie nobody waits for, which the script's wait rules out).
    private func hasEnded(_ pid: Int32) -> Bool {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return status.isEmpty || status.contains(") Z ")
    }

    func testTheSessionEchoesWhatIsTypedAndTheServerStopsWithIt() throws {
        let terminal = try self.startDemo()
        let server = try self.serverPID(under: terminal)
        let rows = try terminal.screen()
        XCTAssertTrue(rows.first?.contains("* connected to ws://127.0.0.1:") == true, "\(rows)")
        try terminal.type("hello")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "< hello")
        try terminal.press("C-d")
        try terminal.waitForScreen("the end") { $0.contains("[demo exited 0]") }
        XCTAssertTrue(self.hasEnded(server), "the echo server is still running")
    }

    func testCtrlCOnAnEmptyLineEndsTheSessionAndStopsTheServer() throws {
        let terminal = try self.startDemo()
        let server = try self.serverPID(under: terminal)
        try terminal.press("C-c")
        try terminal.waitForScreen("the end") { $0.contains { $0.hasPrefix("[demo exited") } }
        XCTAssertTrue(self.hasEnded(server), "the echo server is still running")
    }

    func testCtrlCOnATypedLineReachesTheSessionAloneAndTheServerStaysUp() throws {
        let terminal = try self.startDemo()
        let server = try self.serverPID(under: terminal)
        try terminal.type("half typed")
        try terminal.press("C-c")
        try terminal.type("again")
        try terminal.press("Enter")
        try terminal.waitForRow(containing: "< again")
        XCTAssertFalse(self.hasEnded(server))
        XCTAssertFalse(try terminal.screen().contains { $0.contains("half typed") })
        try terminal.press("C-d")
        try terminal.waitForScreen("the end") { $0.contains("[demo exited 0]") }
        XCTAssertTrue(self.hasEnded(server), "the echo server is still running")
    }

    func testOptionsGoToTheClient() throws {
        let terminal = try self.startDemo(["", "--no-timestamps"])
        try terminal.type("plain")
        try terminal.press("Enter")
        let rows = try terminal.waitForScreen("the echo") { $0.contains("< plain") }
        XCTAssertTrue(rows.contains("> plain"), "\(rows)")
        try terminal.press("C-d")
        try terminal.waitForScreen("the end") { $0.contains("[demo exited 0]") }
    }

    func testAFailedSessionStopsTheServerToo() throws {
        // The echo of a 5-byte line is larger than the client accepts: it closes with 1009 and exits 6.
        let terminal = try self.startDemo(["", "--max-message-size", "4"])
        let server = try self.serverPID(under: terminal)
        try terminal.type("hello")
        try terminal.press("Enter")
        let rows = try terminal.waitForScreen("the end") { $0.contains { $0.hasPrefix("[demo exited") } }
        XCTAssertTrue(rows.contains("[demo exited 6]"), "\(rows)")
        XCTAssertTrue(self.hasEnded(server), "the echo server is still running")
    }
}

import Foundation
import XCTest

/// The REPL when its terminal is not its own: started in the background by a parent without job control, or
/// left behind by a terminal that went away (a closed window, a dropped ssh session).
final class ReplTerminalLossTests: ReplTestCase {
    /// `timeout` runs wsc in a process group of its own, and the pane's `sh` has no job control to bring it to
    /// the foreground: wsc is in the background of its terminal for good. A key pressed there once made every
    /// read fail with EIO, and wsc spun on it, showing nothing more and deaf to signals.
    func testInTheBackgroundAKeyPressIsLeftAloneAndMessagesAndSignalsStillArrive() throws {
        let server = try self.startServer("ticker", ["--delay", "0.2"])
        let terminal = try self.startREPL(server.url(), launcher: ["timeout", "60"])
        try terminal.waitForRow(containing: "< #1")
        let wsc = try self.childProcess(of: terminal.panePID())
        self.addTeardownBlock { Self.killIfStillRunning(wsc) }
        try terminal.type("x")
        let ticks = server.output.filter { $0.hasPrefix("TICK") }.count
        try terminal.waitForRow(containing: "< #\(ticks + 3)", timeout: 10)

        XCTAssertEqual(Foundation.kill(wsc, SIGTERM), 0)
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1001")
        let rows = try terminal.waitForScreen("wsc exiting") { $0.contains { $0.hasPrefix("[wsc exited ") } }
        XCTAssertTrue(rows.contains { Self.isTimestamped($0, "* closed: 1001 (going away)") }, "\(rows)")
    }

    /// The terminal goes away while wsc (in the background, so that no SIGHUP reaches it) waits for keys: its
    /// descriptor is then always readable and every read returns nothing. wsc used to spin on it for good, and
    /// before that, without the key press, closed with 1000 as if Ctrl-D had been pressed.
    func testATerminalThatGoesAwayClosesGoingAwayAndWscExits() throws {
        let server = try self.startServer("ticker", ["--delay", "0.2"])
        let terminal = try self.startREPL(server.url(), launcher: ["timeout", "60"])
        try terminal.waitForRow(containing: "< #1")
        try terminal.type("x")
        let wsc = try self.childProcess(of: terminal.panePID())
        self.addTeardownBlock { Self.killIfStillRunning(wsc) }

        terminal.kill()
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1001")
        try Self.waitForExit(of: wsc, timeout: 10)
    }

    /// After Ctrl-D the prompt is down and wsc waits for the server's Close, which never comes; then the
    /// terminal goes away. wsc ends within `--close-timeout`, whether the hang-up reaches it as SIGHUP or not.
    func testATerminalThatGoesAwayWhileTheCloseIsAwaitedEndsWithinTheCloseTimeout() throws {
        let server = try self.startRawServer()
        let terminal = try self.startREPL(server.url(), ["--close-timeout", "2"])
        try terminal.press("C-d")
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1000 ")
        let wsc = try self.childProcess(of: terminal.panePID())
        self.addTeardownBlock { Self.killIfStillRunning(wsc) }

        terminal.kill()
        try Self.waitForExit(of: wsc, timeout: 4)
        XCTAssertEqual(try server.waitForLine(prefix: "EOF"), "EOF")
    }

    /// Ends `pid` if it is still this test's wsc (a wsc that spins instead of exiting fails the test).
    private static func killIfStillRunning(_ pid: Int32) {
        let name = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
        if name.trimmingCharacters(in: .whitespacesAndNewlines) == "wsc" {
            _ = Foundation.kill(pid, SIGKILL)
        }
    }

    /// Waits until process `pid` has exited (gone, or a zombie its parent has not reaped yet).
    private static func waitForExit(of pid: Int32, timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let status = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            if status.isEmpty || status.split(separator: ")").last?.split(separator: " ").first == "Z" {
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TmuxFailure(description: "wsc (\(pid)) was still running \(timeout) s after its terminal went away")
    }
}

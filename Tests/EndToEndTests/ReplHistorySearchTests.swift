import Foundation
import XCTest

/// Ctrl-R in the REPL: a reverse history search that lets messages through and gives way to Ctrl-C.
final class ReplHistorySearchTests: ReplTestCase {
    /// libedit's own search read the keyboard in a loop of its own: while `bck:` was shown no message appeared
    /// and Ctrl-C waited, to clear the line found once the search ended.
    func testMessagesKeepArrivingDuringASearchThatCtrlCCancelsAndEnterSendsWhatItFinds() throws {
        let server = try self.startServer("ticker", ["--delay", "0.2"])
        let terminal = try self.startREPL(server.url(), width: 80)
        for line in ["alpha one", "beta two"] {
            try terminal.type(line)
            try terminal.press("Enter")
            try self.waitForReceived(line, count: 1, by: server)
        }
        try terminal.type("draft")
        try terminal.press("C-r")
        try terminal.type("alp")
        try terminal.waitForScreen("the search") { $0.last == "(reverse-i-search)`alp': alpha one" }
        let ticks = server.output.filter { $0.hasPrefix("TICK") }.count
        try terminal.waitForScreen("a message during the search") { rows in
            rows.last == "(reverse-i-search)`alp': alpha one" && rows.contains { $0.hasSuffix("< #\(ticks + 2)") }
        }

        try terminal.press("C-c")
        try terminal.waitForScreen("the line as it was before the search") { $0.last == "> draft" }
        XCTAssertEqual(try terminal.cursor().column, 7)
        XCTAssertFalse(server.output.contains { $0.hasPrefix("CLOSE") }, "Ctrl-C only cancelled the search")

        try terminal.press("C-u", "C-r")
        try terminal.type("bet")
        try terminal.waitForScreen("the second search") { $0.last == "(reverse-i-search)`bet': beta two" }
        try terminal.press("Enter")
        try self.waitForReceived("beta two", count: 2, by: server)
        try terminal.waitForScreen("an empty prompt") { $0.last == ">" }
    }

    /// Waits until the ticker server has received `line` `count` times.
    private func waitForReceived(_ line: String, count: Int, by server: PeerServer) throws {
        let expected = "RECEIVED \(line.count) \(line.prefix(10))…\(line.suffix(10))"
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if server.output.filter({ $0 == expected }).count >= count {
                return
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let received = server.output.filter { !$0.hasPrefix("TICK") }
        throw PeerTimeout(description: "the server did not receive '\(line)' \(count) times: \(received)")
    }
}

import Foundation
import XCTest

/// Long lines in the REPL: pasted whole into the line editor while messages arrive, and sent intact.
final class ReplPasteTests: ReplTestCase {
    /// libedit's readline emulation left `rl_line_buffer` pointing at a buffer it had reallocated once a line
    /// passed about 1 KB, and wrote through it: a paste of some thousand characters corrupted the heap.
    func testPastesOfEverySizeAreSentWholeWhileMessagesArriveInNarrowAndWideTerminals() throws {
        for (size, width) in [(1_000, 20), (10_000, 200), (100_000, 57), (1_000_000, 137)] {
            let server = try self.startServer("ticker", ["--delay", "0.2"])
            let terminal = try self.startREPL(server.url(), width: width)
            try terminal.waitForRow(containing: "< #1")
            let line = Self.line(of: size)
            try terminal.paste(line)
            let end = String(line.suffix(width))
            try terminal.waitForScreen("the end of the pasted line (\(size) characters)", timeout: 60) {
                $0.suffix(3).joined().hasSuffix(end)
            }
            try terminal.press("Enter")
            let received = try server.waitForLine(prefix: "RECEIVED", timeout: 60)
            XCTAssertEqual(received, "RECEIVED \(size) \(line.prefix(10))…\(line.suffix(10))")
            // Still alive and showing messages, with an empty prompt.
            let ticks = server.output.filter { $0.hasPrefix("TICK") }.count
            try terminal.waitForScreen("a tick after the line", timeout: 30) { rows in
                rows.last == ">" && rows.contains { $0.hasSuffix("< #\(ticks + 2)") }
            }
            terminal.kill()
            server.stop()
        }
    }

    /// `size` characters that show where a piece went missing or was doubled: the digits of each position that is
    /// a multiple of ten, padded with letters.
    private static func line(of size: Int) -> String {
        var line = ""
        line.reserveCapacity(size + 10)
        var position = 0
        while line.utf8.count < size {
            let mark = "\(position)"
            line += mark + String("abcdefghij".prefix(10 - mark.count))
            position += 10
        }
        return String(line.prefix(size))
    }
}

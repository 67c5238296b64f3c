import Glibc
import XCTest

@testable import WSTerminal

final class HistoryFileTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/wsc-history-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        self.directory = String(cString: try XCTUnwrap(created))
    }

    override func tearDown() {
        _ = system("rm -rf '\(self.directory)'")
    }

    private func contents(_ path: String) -> String? {
        guard let file = fopen(path, "r") else {
            return nil
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        while true {
            let byte = fgetc(file)
            if byte == EOF {
                break
            }
            bytes.append(UInt8(byte))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func testMissingFileIsAnEmptyHistory() throws {
        XCTAssertEqual(try HistoryFile(path: self.directory + "/none").load(), [])
    }

    func testAppendCreatesFoldersAndAPrivateFile() throws {
        let path = self.directory + "/state/wsc/history"
        let history = HistoryFile(path: path)
        try history.append("hello world")
        try history.append("/ping x")
        XCTAssertEqual(self.contents(path), "hello world\n/ping x\n")
        XCTAssertEqual(try history.load(), ["hello world", "/ping x"])
        var status = stat()
        XCTAssertEqual(stat(path, &status), 0)
        XCTAssertEqual(status.st_mode & 0o777, 0o600)
        XCTAssertEqual(stat(self.directory + "/state/wsc", &status), 0)
        XCTAssertEqual(status.st_mode & 0o777, 0o700)
    }

    func testLinesWithLineBreaksOrNothingAreNotStored() throws {
        let path = self.directory + "/history"
        let history = HistoryFile(path: path)
        try history.append("one")
        try history.append("two\nlines")
        try history.append("carriage\rreturn")
        try history.append("")
        XCTAssertEqual(try history.load(), ["one"])
    }

    func testLoadKeepsTheNewestAndShrinksAnOverlongFile() throws {
        let path = self.directory + "/history"
        let history = HistoryFile(path: path, limit: 3)
        for number in 1...5 {
            try history.append("line \(number)")
        }
        XCTAssertEqual(try history.load(), ["line 3", "line 4", "line 5"])
        XCTAssertEqual(self.contents(path)?.split(separator: "\n").count, 5)
        try history.append("line 6")
        XCTAssertEqual(try history.load(), ["line 4", "line 5", "line 6"])
        XCTAssertEqual(self.contents(path), "line 4\nline 5\nline 6\n")
    }

    func testAnUnwritablePlaceIsReported() {
        let blocker = self.directory + "/file"
        XCTAssertNotNil(fopen(blocker, "w").map { fclose($0) })
        XCTAssertThrowsError(try HistoryFile(path: blocker + "/wsc/history").append("x")) { error in
            XCTAssertTrue("\(error)".hasPrefix("history: cannot create the folder \(blocker)/wsc: "), "\(error)")
        }
    }
}

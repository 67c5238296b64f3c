import NIOCore
import XCTest

@testable import WSTerminal

final class LineSplitterTests: XCTestCase {
    private func strings(_ lines: [ByteBuffer]) -> [String] {
        lines.map { String(buffer: $0) }
    }

    func testSplitsLinesAndDropsCR() {
        var splitter = LineSplitter()
        XCTAssertEqual(self.strings(splitter.split(ByteBuffer(string: "a\nbb\r\n\nc"))), ["a", "bb", ""])
        XCTAssertEqual(splitter.lineCount, 3)
        XCTAssertEqual(splitter.finish().map { String(buffer: $0) }, "c")
        XCTAssertEqual(splitter.lineCount, 4)
        XCTAssertNil(splitter.finish())
    }

    func testLineSpanningChunksIsJoined() {
        var splitter = LineSplitter()
        XCTAssertEqual(self.strings(splitter.split(ByteBuffer(string: "one\ntw"))), ["one"])
        XCTAssertEqual(self.strings(splitter.split(ByteBuffer(string: "o-thr"))), [])
        XCTAssertEqual(self.strings(splitter.split(ByteBuffer(string: "ee\r"))), [])
        XCTAssertEqual(self.strings(splitter.split(ByteBuffer(string: "\nfour\n"))), ["two-three", "four"])
        XCTAssertNil(splitter.finish())
    }

    func testEveryChunkingGivesTheSameLines() {
        let text = "alpha\r\nbeta\n\ngamma ✓\ndelta"
        let bytes = Array(text.utf8)
        for size in 1...bytes.count {
            var splitter = LineSplitter()
            var lines: [String] = []
            var index = 0
            while index < bytes.count {
                let end = min(index + size, bytes.count)
                lines += self.strings(splitter.split(ByteBuffer(bytes: bytes[index..<end])))
                index = end
            }
            lines += splitter.finish().map { [String(buffer: $0)] } ?? []
            XCTAssertEqual(lines, ["alpha", "beta", "", "gamma ✓", "delta"], "chunks of \(size)")
        }
    }

    func testCompleteLinesShareTheChunkInsteadOfCopying() {
        var splitter = LineSplitter()
        let chunk = ByteBuffer(string: "first\nsecond\n")
        let lines = splitter.split(chunk)
        chunk.withUnsafeReadableBytes { chunkBytes in
            lines[1].withUnsafeReadableBytes { lineBytes in
                XCTAssertEqual(lineBytes.baseAddress, chunkBytes.baseAddress! + 6)
            }
        }
    }
}

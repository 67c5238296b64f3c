import NIOCore
import XCTest

@testable import WSTerminal

final class LineSplitterTests: XCTestCase {
    /// Appends `bytes` as one read would, and returns the completed lines as strings.
    private func read<Bytes: Sequence<UInt8>>(_ bytes: Bytes, into splitter: inout LineSplitter) -> [String] {
        var buffer = splitter.bufferForNextRead(minimumSpace: 16)
        buffer.writeBytes(bytes)
        return splitter.split(buffer).map { String(buffer: $0) }
    }

    func testSplitsLinesAndDropsCR() {
        var splitter = LineSplitter()
        XCTAssertEqual(self.read("a\nbb\r\n\nc".utf8, into: &splitter), ["a", "bb", ""])
        XCTAssertEqual(splitter.lineCount, 3)
        XCTAssertEqual(splitter.finish(splitter.bufferForNextRead(minimumSpace: 16)).map { String(buffer: $0) }, "c")
        XCTAssertEqual(splitter.lineCount, 4)
    }

    func testLineSpanningReadsIsJoined() {
        var splitter = LineSplitter()
        XCTAssertEqual(self.read("one\ntw".utf8, into: &splitter), ["one"])
        XCTAssertEqual(self.read("o-thr".utf8, into: &splitter), [])
        XCTAssertEqual(self.read("ee\r".utf8, into: &splitter), [])
        XCTAssertEqual(self.read("\nfour\n".utf8, into: &splitter), ["two-three", "four"])
        XCTAssertNil(splitter.finish(splitter.bufferForNextRead(minimumSpace: 16)))
    }

    func testEveryChunkingGivesTheSameLines() {
        let bytes = Array("alpha\r\nbeta\n\ngamma ✓\ndelta".utf8)
        for size in 1...bytes.count {
            var splitter = LineSplitter()
            var lines: [String] = []
            var index = 0
            while index < bytes.count {
                let end = min(index + size, bytes.count)
                lines += self.read(bytes[index..<end], into: &splitter)
                index = end
            }
            lines += splitter.finish(splitter.bufferForNextRead(minimumSpace: 16)).map { [String(buffer: $0)] } ?? []
            XCTAssertEqual(lines, ["alpha", "beta", "", "gamma ✓", "delta"], "reads of \(size)")
        }
    }

    func testLinesAreSlicesOfTheBufferTheyWereReadInto() {
        var splitter = LineSplitter()
        var buffer = splitter.bufferForNextRead(minimumSpace: 64)
        buffer.writeString("first\nsecond\n")
        let lines = splitter.split(buffer)
        buffer.withUnsafeReadableBytes { bufferBytes in
            lines[1].withUnsafeReadableBytes { lineBytes in
                XCTAssertEqual(lineBytes.baseAddress, bufferBytes.baseAddress! + 6)
            }
        }
    }

    func testLongLineGrowsInPlaceAcrossReads() {
        var splitter = LineSplitter()
        var buffer = splitter.bufferForNextRead(minimumSpace: 1024)
        buffer.writeRepeatingByte(0x61, count: 1000)
        XCTAssertTrue(splitter.split(buffer).isEmpty)
        var next = splitter.bufferForNextRead(minimumSpace: 1024)
        XCTAssertEqual(next.readableBytes, 1000, "the unfinished line is at the start of the next read's buffer")
        next.writeString("b\n")
        XCTAssertEqual(splitter.split(next).map(\.readableBytes), [1001])
    }
}

import NIOCore
import XCTest

@testable import WSTerminal

final class LineSplitterTests: XCTestCase {
    /// Appends `bytes` as one read would, and returns the completed lines as strings.
    private func read<Bytes: Sequence<UInt8>>(_ bytes: Bytes, into splitter: inout LineSplitter) -> [String] {
        var buffer = splitter.bufferForNextRead(minimumSpace: 16)
        buffer.writeBytes(bytes)
        return splitter.split(buffer).map { String(buffer: $0.bytes) + ($0.endsLine ? "" : "…") }
    }

    func testSplitsLinesAndDropsCR() {
        var splitter = LineSplitter()
        XCTAssertEqual(self.read("a\nbb\r\n\nc".utf8, into: &splitter), ["a", "bb", ""])
        XCTAssertEqual(splitter.lineCount, 3)
        XCTAssertEqual(
            splitter.finish(splitter.bufferForNextRead(minimumSpace: 16)).map { String(buffer: $0.bytes) },
            "c"
        )
        XCTAssertEqual(splitter.lineCount, 4)
    }

    func testNULSplitsRecordsThatKeepNewlinesAndCR() {
        var splitter = LineSplitter(separator: 0)
        XCTAssertEqual(self.read("a\nb\0c\r\n\0\0d\r".utf8, into: &splitter), ["a\nb", "c\r\n", ""])
        XCTAssertEqual(self.read("\0e".utf8, into: &splitter), ["d\r"])
        XCTAssertEqual(
            splitter.finish(splitter.bufferForNextRead(minimumSpace: 16)).map { String(buffer: $0.bytes) },
            "e",
            "a last record without a NUL is still one"
        )
        XCTAssertEqual(splitter.lineCount, 5)
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
            lines +=
                splitter.finish(splitter.bufferForNextRead(minimumSpace: 16)).map { [String(buffer: $0.bytes)] } ?? []
            XCTAssertEqual(lines, ["alpha", "beta", "", "gamma ✓", "delta"], "reads of \(size)")
        }
    }

    func testLinesAreSlicesOfTheBufferTheyWereReadInto() {
        var splitter = LineSplitter()
        var buffer = splitter.bufferForNextRead(minimumSpace: 64)
        buffer.writeString("first\nsecond\n")
        let lines = splitter.split(buffer)
        buffer.withUnsafeReadableBytes { bufferBytes in
            lines[1].bytes.withUnsafeReadableBytes { lineBytes in
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
        XCTAssertEqual(splitter.split(next).map(\.bytes.readableBytes), [1001])
    }

    /// A line longer than the piece size comes out in pieces as it is read, each at most the piece size plus
    /// one read, and the pieces join up to the line; a CR that may start a CRLF waits for the next read.
    func testALongLineComesOutInPiecesThatJoinUpToIt() {
        for pieceSize in [1, 2, 3, 5, 8] {
            for readSize in 1...9 {
                var splitter = LineSplitter(maximumPieceSize: pieceSize)
                let bytes = Array("short\nabcdefghijklmnopqrstuvwxyz\r\nend\r".utf8)
                var output = ""
                var index = 0
                while index < bytes.count {
                    let end = min(index + readSize, bytes.count)
                    var buffer = splitter.bufferForNextRead(minimumSpace: readSize)
                    buffer.writeBytes(bytes[index..<end])
                    for piece in splitter.split(buffer) {
                        XCTAssertLessThanOrEqual(piece.bytes.readableBytes, pieceSize + readSize)
                        output += String(buffer: piece.bytes) + (piece.endsLine ? "|" : "")
                    }
                    index = end
                }
                output +=
                    splitter.finish(splitter.bufferForNextRead(minimumSpace: 1)).map { String(buffer: $0.bytes) + "|" }
                    ?? ""
                XCTAssertEqual(
                    output,
                    "short|abcdefghijklmnopqrstuvwxyz|end|",
                    "pieces of \(pieceSize), reads of \(readSize)"
                )
                XCTAssertEqual(splitter.lineCount, 3)
            }
        }
    }

    func testALineInPiecesThatEndsWithTheInputIsEndedByAnEmptyPiece() {
        var splitter = LineSplitter(maximumPieceSize: 4)
        XCTAssertEqual(self.read("abcd".utf8, into: &splitter), ["abcd…"])
        let last = splitter.finish(splitter.bufferForNextRead(minimumSpace: 16))
        XCTAssertEqual(last?.endsLine, true)
        XCTAssertEqual(last?.bytes.readableBytes, 0)
    }
}

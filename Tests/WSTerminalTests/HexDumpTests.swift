import XCTest

@testable import WSTerminal

final class HexDumpTests: XCTestCase {
    func testFullRowLayout() {
        let bytes = Array("hello world".utf8) + [0x0A, 0x00, 0x01, 0x02, 0xFF]
        XCTAssertEqual(
            HexDump.row(offset: 0, bytes: bytes[...]),
            "00000000  68 65 6c 6c 6f 20 77 6f  72 6c 64 0a 00 01 02 ff  |hello world.....|"
        )
    }

    func testShortRowIsPaddedSoTheTextColumnLinesUp() {
        let full = HexDump.row(offset: 0, bytes: ArraySlice(repeating: 0x41, count: 16))
        let short = HexDump.row(offset: 16, bytes: ArraySlice(Array("hi!".utf8)))
        XCTAssertEqual(short, "00000010  68 69 21                                          |hi!|")
        XCTAssertEqual(
            short.firstIndex(of: "|")?.utf16Offset(in: short),
            full.firstIndex(of: "|")?.utf16Offset(in: full)
        )
    }

    func testRowsAreCappedAndTheRestCounted() {
        let dump = HexDump(maximumBytes: 32)
        let result = dump.rows(of: Array(repeating: UInt8(0x7E), count: 300))
        XCTAssertEqual(result.rows.count, 2)
        XCTAssertEqual(result.omittedBytes, 300 - 32)
        XCTAssertTrue(result.rows[1].hasPrefix("00000010  7e"))
    }

    func testExactFitLeavesNothingOut() {
        let result = HexDump(maximumBytes: 32).rows(of: Array(repeating: UInt8(1), count: 32))
        XCTAssertEqual(result.rows.count, 2)
        XCTAssertEqual(result.omittedBytes, 0)
    }

    func testEmptyPayloadHasNoRows() {
        let result = HexDump().rows(of: [UInt8]())
        XCTAssertEqual(result.rows, [])
        XCTAssertEqual(result.omittedBytes, 0)
    }

    func testControlAndHighBytesShowAsDotsInTheTextColumn() {
        let row = HexDump.row(offset: 0, bytes: [0x1B, 0x5B, 0x32, 0x4A, 0x9B, 0x7F, 0x20, 0x7E][...])
        XCTAssertTrue(row.hasSuffix("|.[2J.. ~|"), row)
    }
}

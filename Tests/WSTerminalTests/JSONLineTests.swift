import NIOCore
import XCTest

@testable import WSTerminal

/// `--format jsonl` lines, byte for byte: escapes (RFC 8259 section 7), base64 data, optional fields.
final class JSONLineTests: XCTestCase {
    private func line(
        _ payload: [UInt8],
        isBinary: Bool = false,
        time: UTCTimestamp? = nil,
        client: String? = nil
    ) -> String {
        var output = ByteBuffer()
        JSONLine.write(ByteBuffer(bytes: payload), isBinary: isBinary, time: time, client: client, to: &output)
        return String(buffer: output)
    }

    func testTextIsCopiedWithTheEscapesJSONRequires() {
        XCTAssertEqual(self.line(Array("hello".utf8)), #"{"type":"text","data":"hello"}"# + "\n")
        XCTAssertEqual(self.line([]), #"{"type":"text","data":""}"# + "\n")
        XCTAssertEqual(
            self.line(Array("say \"hi\" \\ back".utf8)),
            #"{"type":"text","data":"say \"hi\" \\ back"}"# + "\n"
        )
        XCTAssertEqual(
            self.line([0x0A, 0x0D, 0x09, 0x08, 0x0C, 0x00, 0x01, 0x1F, 0x20, 0x7F]),
            #"{"type":"text","data":"\n\r\t\b\f\u0000\u0001\u001f "# + "\u{7F}\"}\n"
        )
    }

    func testNonASCIITextStaysUTF8() {
        XCTAssertEqual(self.line(Array("✓ é 😀".utf8)), #"{"type":"text","data":"✓ é 😀"}"# + "\n")
    }

    func testBinaryDataIsBase64() {
        XCTAssertEqual(self.line([0x61, 0xFF, 0x00], isBinary: true), #"{"type":"binary","data":"Yf8A"}"# + "\n")
        XCTAssertEqual(self.line([], isBinary: true), #"{"type":"binary","data":""}"# + "\n")
        XCTAssertEqual(self.line([0x0A, 0x22], isBinary: true), #"{"type":"binary","data":"CiI="}"# + "\n")
    }

    func testTimeAndClientComeFirstWhenGiven() {
        let time = UTCTimestamp(secondsSinceEpoch: 1_764_045_072, millisecond: 5)
        XCTAssertEqual(
            self.line(Array("x".utf8), time: time, client: "[::1]:5000"),
            #"{"time":"2025-11-25T04:31:12.005Z","client":"[::1]:5000","type":"text","data":"x"}"# + "\n"
        )
        XCTAssertEqual(
            self.line([1], isBinary: true, client: "a\"b"),
            #"{"client":"a\"b","type":"binary","data":"AQ=="}"# + "\n"
        )
    }

    func testEveryLineParsesBackToWhatWasSent() throws {
        let texts = ["", "plain", "tab\there", "line\nbreak", "quote \" and \\", "\u{1}\u{2}\u{1B}[31m", "✓"]
        for text in texts {
            let parsed = try JSONSerialization.jsonObject(with: Data(self.line(Array(text.utf8)).utf8))
            XCTAssertEqual((parsed as? [String: String])?["data"], text, text.debugDescription)
        }
    }
}

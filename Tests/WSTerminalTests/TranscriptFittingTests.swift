import NIOCore
import WSEngine
import XCTest

@testable import WSTerminal

/// Output that fits the terminal, `/json`, round trips and the transcript `/save` writes.
final class TranscriptFittingTests: XCTestCase {
    private let time = LocalTime(hour: 14, minute: 3, second: 9, millisecond: 42)

    private func rows(_ bytes: [UInt8]?) -> [String] {
        String(decoding: bytes ?? [], as: UTF8.self).components(separatedBy: "\r\n").dropLast()
    }

    private func formatter(width: Int?) -> TranscriptFormatter {
        var formatter = TranscriptFormatter(colors: false, timestamps: true)
        formatter.width = width
        return formatter
    }

    func testLongTextWrapsUnderItsFirstColumn() {
        let text = String(repeating: "abcdefghij", count: 7)
        let rows = self.rows(self.formatter(width: 40).received(.text(ByteBuffer(string: text)), at: self.time))
        XCTAssertEqual(
            rows,
            [
                "14:03:09.042 < abcdefghijabcdefghijabcde",
                "               fghijabcdefghijabcdefghij",
                "               abcdefghijabcdefghij",
            ]
        )
        XCTAssertTrue(rows.allSatisfy { $0.count <= 40 })
    }

    func testHugeTextIsCutAtACharacterWithTheRestCounted() {
        var formatter = self.formatter(width: nil)
        formatter.textLimit = 5
        let rows = self.rows(formatter.received(.text(ByteBuffer(string: "abcdéfgh")), at: self.time))
        XCTAssertEqual(rows, ["14:03:09.042 < abcd", "               … 5 more bytes"])
        XCTAssertEqual(
            self.rows(formatter.uncut.received(.text(ByteBuffer(string: "abcdéfgh")), at: self.time)),
            ["14:03:09.042 < abcdéfgh"]
        )
    }

    func testHexDumpRowsFitTheTerminalWithoutWrappingTheirASCIIColumn() {
        XCTAssertEqual(HexDump.bytesPerRow(fitting: 78), 16)
        XCTAssertEqual(HexDump.bytesPerRow(fitting: 65), 8)
        XCTAssertEqual(HexDump.bytesPerRow(fitting: 30), 4)
        let payload = ByteBuffer(bytes: Array(0x41..<0x55))
        for width in [80, 60, 45, 200] {
            let rows = self.rows(self.formatter(width: width).received(.binary(payload), at: self.time))
            XCTAssertTrue(rows.allSatisfy { $0.count <= max(width, 45) }, "\(width): \(rows)")
            XCTAssertTrue(rows.dropFirst().allSatisfy { $0.hasSuffix("|") }, "\(width): \(rows)")
        }
        let rows = self.rows(self.formatter(width: 80).received(.binary(payload), at: self.time))
        XCTAssertEqual(rows[1], "               00000000  41 42 43 44 45 46 47 48  |ABCDEFGH|")
        XCTAssertEqual(rows.count, 4)
    }

    func testJSONIsShownIndentedAfterSlashJSONWithKeysColoured() {
        var formatter = self.formatter(width: nil)
        formatter.prettyJSON = true
        let json = #"{"a":1,"b":[true,null,-1.5e3],"c":{},"d":"x\"y"}"#
        XCTAssertEqual(
            self.rows(formatter.received(.text(ByteBuffer(string: json)), at: self.time)),
            [
                "14:03:09.042 < {",
                "                 \"a\": 1,",
                "                 \"b\": [",
                "                   true,",
                "                   null,",
                "                   -1.5e3",
                "                 ],",
                "                 \"c\": {},",
                "                 \"d\": \"x\\\"y\"",
                "               }",
            ]
        )
        formatter.colors = true
        let colored = String(
            decoding: formatter.received(.text(ByteBuffer(string: #"{"k":2}"#)), at: self.time)!,
            as: UTF8.self
        )
        XCTAssertTrue(colored.contains("\u{1B}[1;34m\"k\"\u{1B}[0m: 2"), colored)
    }

    func testTextThatIsNotAJSONObjectOrArrayIsShownAsItCame() {
        for text in ["42", "\"s\"", "{\"a\":}", "[1,]", "{\"a\":01}", "[1] x", "{'a':1}", "not json"] {
            XCTAssertNil(JSONPrettyPrinter.lines(of: text), text)
        }
        XCTAssertNil(
            JSONPrettyPrinter.lines(of: String(repeating: "[", count: 100) + String(repeating: "]", count: 100))
        )
        XCTAssertEqual(JSONPrettyPrinter.lines(of: " [] ")?.count, 1)
    }

    func testAPongShowsTheRoundTripOfThePingItAnswers() {
        var timer = RoundTripTimer()
        let start = ContinuousClock.now
        timer.sent(Array("a".utf8), at: start)
        timer.sent(Array("b".utf8), at: start + .milliseconds(1), recipients: 2)
        XCTAssertNil(timer.pong(Array("c".utf8), at: start + .milliseconds(5)))
        XCTAssertEqual(timer.pong(Array("b".utf8), at: start + .milliseconds(5)), .milliseconds(4))
        XCTAssertEqual(timer.pong(Array("b".utf8), at: start + .milliseconds(6)), .milliseconds(5))
        XCTAssertNil(timer.pong(Array("b".utf8), at: start + .milliseconds(7)), "both clients answered")
        XCTAssertEqual(timer.pong(Array("a".utf8), at: start + .microseconds(400)), .microseconds(400))

        let formatter = self.formatter(width: nil)
        XCTAssertEqual(
            self.rows(
                formatter.received(.pong(ByteBuffer(string: "abc")), at: self.time, roundTrip: .microseconds(420))
            ),
            ["14:03:09.042 < pong \"abc\" 0.4 ms"]
        )
        XCTAssertEqual(TranscriptFormatter.milliseconds(.microseconds(25_349)), "25.3 ms")
        XCTAssertEqual(TranscriptFormatter.milliseconds(.milliseconds(1_520)), "1.52 s")
        XCTAssertEqual(TranscriptFormatter.milliseconds(.milliseconds(2_005)), "2.01 s")
    }

    func testTabChoicesAreLaidOutInRowsThatFit() {
        let choices = SlashCompletion.closeCodes.map(\.description)
        let rows = self.rows(self.formatter(width: 80).choices(choices))
        XCTAssertEqual(rows.first, "               1000 (normal closure)   1001 (going away)   1002 (protocol error)")
        XCTAssertTrue(rows.allSatisfy { $0.count <= 80 }, "\(rows)")
        XCTAssertEqual(rows.joined().components(separatedBy: ")").count - 1, choices.count)
    }

    func testTheRecordHasLFLineEndsAndDropsItsOldestLinesWhenFull() {
        var record = TranscriptRecord(limit: 20)
        record.append(Array("line one\r\n".utf8))
        XCTAssertEqual(record.bytes, Array("line one\n".utf8))
        record.append(Array("line two\r\nline three\r\n".utf8))
        XCTAssertEqual(String(decoding: record.bytes, as: UTF8.self), "line three\n")
        XCTAssertEqual(record.droppedLines, 2)
    }
}

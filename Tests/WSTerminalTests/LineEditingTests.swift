import XCTest

@testable import WSTerminal

/// The pure parts of the line editor: where libedit draws the cursor, and where characters start.
final class LineEditingTests: XCTestCase {
    private static func scalars(_ text: String) -> [Unicode.Scalar] {
        Array(text.unicodeScalars)
    }

    func testTheCursorWrapsAtTheLastColumnAndALineBreakStartsARow() {
        XCTAssertEqual(DisplayWidth.position(after: Self.scalars("abc"), from: 2, width: 10).row, 0)
        XCTAssertTrue(DisplayWidth.position(after: Self.scalars("abcdefgh"), from: 2, width: 10) == (1, 0))
        XCTAssertTrue(DisplayWidth.position(after: Self.scalars("ab\ncd"), from: 2, width: 10) == (1, 2))
        XCTAssertTrue(DisplayWidth.position(after: Self.scalars("abcdefgh\n"), from: 2, width: 10) == (2, 0))
        XCTAssertTrue(DisplayWidth.position(after: Self.scalars("\n\n"), from: 2, width: 10) == (2, 0))
    }

    func testRowsDrawnForOneWidthAreSplitNeverJoinedAtAnother() {
        let line = Self.scalars(String(repeating: "x", count: 130))
        // Drawn 60 wide: rows of 60, 60 and 12 columns, the cursor at the end.
        XCTAssertEqual(DisplayWidth.rowAfterRewrap(after: line, from: 2, drawnWidth: 60, width: 60), 2)
        XCTAssertEqual(DisplayWidth.rowAfterRewrap(after: line, from: 2, drawnWidth: 60, width: 40), 4)
        XCTAssertEqual(DisplayWidth.rowAfterRewrap(after: line, from: 2, drawnWidth: 60, width: 80), 2)
        XCTAssertEqual(DisplayWidth.rowAfterRewrap(after: line, from: 2, drawnWidth: 60, width: 10), 13)
        XCTAssertEqual(
            DisplayWidth.rowAfterRewrap(after: Self.scalars("ab\n\ncd"), from: 2, drawnWidth: 60, width: 3),
            3,
            "\"> ab\" split in two, the empty row, then the cursor's"
        )
    }

    func testAWideCharacterThatDoesNotFitGoesToTheNextRowAndTabsReachTheNextStop() {
        // wcwidth knows emoji are wide in a UTF-8 locale only, which the REPL selects.
        let locale = KeyboardLocale.select()
        defer { locale.restore() }
        XCTAssertTrue(DisplayWidth.position(after: Self.scalars("abcdefg🚀"), from: 2, width: 10) == (1, 2))
        XCTAssertTrue(DisplayWidth.position(after: Self.scalars("a\tb"), from: 2, width: 20) == (0, 9))
    }

    func testClustersKeepCombiningMarksFlagsAndJoinedEmojiWhole() {
        let line = Self.scalars("e\u{301}🇫🇷👨\u{200D}👩\u{200D}👧x")
        XCTAssertEqual(GraphemeClusters.boundaries(of: line), [0, 2, 4, 9, 10])
        XCTAssertEqual(GraphemeClusters.previous(before: 9, in: line), 4)
        XCTAssertEqual(GraphemeClusters.previous(before: 0, in: line), 0)
        XCTAssertEqual(GraphemeClusters.next(after: 4, in: line), 9)
        XCTAssertEqual(GraphemeClusters.next(after: 10, in: line), 10)
        XCTAssertEqual(GraphemeClusters.boundary(atOrAfter: 1, in: line), 2)
        XCTAssertEqual(GraphemeClusters.boundary(atOrAfter: 2, in: line), 2)
    }
}

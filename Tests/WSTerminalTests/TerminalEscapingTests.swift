import XCTest

@testable import WSTerminal

final class TerminalEscapingTests: XCTestCase {
    private func shown(_ text: String, indent: Int = 4, colors: Bool = false) -> String {
        var builder = TranscriptBuilder(colors: colors)
        builder.appendUntrusted(text, indent: indent)
        return String(decoding: builder.bytes, as: UTF8.self)
    }

    func testPrintableTextPassesUnchanged() {
        XCTAssertEqual(self.shown("hello, wörld ✓ 日本 \\x1b"), "hello, wörld ✓ 日本 \\x1b")
        XCTAssertEqual(self.shown("a\tb"), "a\tb")
    }

    func testEscapeSequencesCannotReachTheTerminal() {
        XCTAssertEqual(self.shown("\u{1B}[2J\u{1B}]0;title\u{07}"), "\\x1b[2J\\x1b]0;title\\x07")
        XCTAssertEqual(self.shown("bell\u{07} back\u{08} nul\u{00} del\u{7F}"), "bell\\x07 back\\x08 nul\\x00 del\\x7f")
        XCTAssertEqual(self.shown("\u{0E}\u{0F}\u{0B}\u{0C}"), "\\x0e\\x0f\\x0b\\x0c")
    }

    func testC1ControlsAreEscaped() {
        XCTAssertEqual(self.shown("\u{9B}2J \u{9D}x \u{85}"), "\\u009b2J \\u009dx \\u0085")
    }

    func testBidirectionalControlsAreEscaped() {
        XCTAssertEqual(self.shown("abc\u{202E}def\u{2066}"), "abc\\u202edef\\u2066")
        XCTAssertEqual(self.shown("x\u{2028}y"), "x\\u2028y")
    }

    func testInvisibleFormatCharactersAreShownButJoinersPass() {
        XCTAssertEqual(self.shown("a\u{200B}b\u{FEFF}c\u{2060}d\u{AD}e"), "a\\u200bb\\ufeffc\\u2060d\\u00ade")
        XCTAssertEqual(self.shown("👨\u{200D}👩"), "👨\u{200D}👩", "emoji sequences keep their joiner")
    }

    func testCarriageReturnAloneIsEscaped() {
        XCTAssertEqual(self.shown("progress\r100%"), "progress\\r100%")
    }

    func testLineFeedsStartIndentedLines() {
        XCTAssertEqual(self.shown("first\nsecond\r\nthird", indent: 4), "first\r\n    second\r\n    third")
        XCTAssertEqual(self.shown("a\n\nb", indent: 2), "a\r\n  \r\n  b")
    }

    func testATrailingLineBreakIsShownNotFollowed() {
        XCTAssertEqual(self.shown("line\n"), "line\\n")
        XCTAssertEqual(self.shown("line\r\n"), "line\\r\\n")
        XCTAssertEqual(self.shown("\n"), "\\n")
    }

    func testEscapesAreHighlightedWhenColoursAreOn() {
        XCTAssertEqual(self.shown("a\u{1B}b", colors: true), "a\u{1B}[7m\\x1b\u{1B}[0mb")
    }

    func testReplacementTable() {
        XCTAssertNil(TerminalEscaping.replacement(for: "a"))
        XCTAssertNil(TerminalEscaping.replacement(for: "\t"))
        XCTAssertNil(TerminalEscaping.replacement(for: "\u{A0}"))
        XCTAssertEqual(TerminalEscaping.replacement(for: "\u{1F}"), "\\x1f")
        XCTAssertEqual(TerminalEscaping.replacement(for: "\u{9F}"), "\\u009f")
        XCTAssertEqual(TerminalEscaping.replacement(for: "\n"), "\\n")
    }

    func testEscapedTextIsOneLineWithEveryControlVisible() {
        XCTAssertEqual(
            TerminalEscaping.escaped("a\u{1B}[2J\u{07}\tb\u{9B}c\u{202E}d\r\nwsc: error: x ✓"),
            "a\\x1b[2J\\x07\\tb\\u009bc\\u202ed\\r\\nwsc: error: x ✓"
        )
        XCTAssertEqual(TerminalEscaping.escaped("plain text, é ✓"), "plain text, é ✓")
    }
}

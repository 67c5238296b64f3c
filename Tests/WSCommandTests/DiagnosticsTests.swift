import XCTest

@testable import WSCommand

/// `-v`'s detail lines: a peer's multi-line text becomes several prefixed lines, each escaped.
final class DiagnosticsTests: XCTestCase {
    func testDetailLinesAreSplitPrefixedAndEscaped() {
        XCTAssertEqual(
            Diagnostics.detailText(["X-A: \u{1B}[31m", "", "body\r\nwsc: error: forged\n\u{9B}\rend"], prefix: "< "),
            "< X-A: \\x1b[31m\n< \n< body\n< wsc: error: forged\n< \\u009b\\rend\n"
        )
    }
}

import XCTest

@testable import WSTerminal

final class TimestampTests: XCTestCase {
    func testFormatPadsEveryField() {
        XCTAssertEqual(Timestamp.format(hour: 7, minute: 5, second: 3, millisecond: 9), "07:05:03.009")
        XCTAssertEqual(Timestamp.format(hour: 23, minute: 59, second: 59, millisecond: 999), "23:59:59.999")
    }

    func testNowHasTheShape() {
        XCTAssertNotNil(Timestamp.now().wholeMatch(of: /[0-2]\d:[0-5]\d:[0-6]\d\.\d{3}/))
    }
}

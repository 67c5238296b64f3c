import XCTest

@testable import WSTerminal

final class LocalTimeTests: XCTestCase {
    func testFormatIsZeroPaddedHoursMinutesSecondsMilliseconds() {
        XCTAssertEqual(LocalTime(hour: 9, minute: 5, second: 3, millisecond: 7).text, "09:05:03.007")
        XCTAssertEqual(LocalTime(hour: 23, minute: 59, second: 59, millisecond: 999).text, "23:59:59.999")
        XCTAssertEqual(LocalTime(hour: 0, minute: 0, second: 0, millisecond: 0).text, "00:00:00.000")
        XCTAssertEqual(LocalTime(hour: 12, minute: 30, second: 60, millisecond: 50).text, "12:30:60.050")
    }

    func testWidthMatchesTheText() {
        XCTAssertEqual(LocalTime(hour: 1, minute: 2, second: 3, millisecond: 4).text.count, LocalTime.width)
    }

    func testNowIsAValidTimeOfDay() {
        let now = LocalTime.now()
        XCTAssertTrue((0...23).contains(now.hour))
        XCTAssertTrue((0...59).contains(now.minute))
        XCTAssertTrue((0...60).contains(now.second))
        XCTAssertTrue((0...999).contains(now.millisecond))
        let text = Array(now.text.utf8)
        XCTAssertEqual(text.count, 12)
        XCTAssertEqual([text[2], text[5], text[8]], Array("::.".utf8))
    }
}

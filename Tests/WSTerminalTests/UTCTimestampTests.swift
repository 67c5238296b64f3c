import XCTest

@testable import WSTerminal

final class UTCTimestampTests: XCTestCase {
    private func text(_ seconds: Int, _ millisecond: Int) -> String {
        var bytes: [UInt8] = []
        UTCTimestamp(secondsSinceEpoch: seconds, millisecond: millisecond).write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    func testRFC3339InUTCWithMilliseconds() {
        XCTAssertEqual(self.text(0, 0), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(self.text(951_782_400, 999), "2000-02-29T00:00:00.999Z", "a leap day")
        XCTAssertEqual(self.text(1_764_045_072, 345), "2025-11-25T04:31:12.345Z")
        XCTAssertEqual(self.text(253_402_300_799, 1), "9999-12-31T23:59:59.001Z")
    }

    func testTheTimeZoneDoesNotMatter() {
        let saved = getenv("TZ").map { String(cString: $0) }
        setenv("TZ", "America/St_Johns", 1)
        tzset()
        defer {
            if let saved { setenv("TZ", saved, 1) } else { unsetenv("TZ") }
            tzset()
        }
        XCTAssertEqual(self.text(1_764_045_072, 345), "2025-11-25T04:31:12.345Z")
    }

    func testNowIsCloseToTheSystemClock() {
        let now = UTCTimestamp.now()
        let system = Int(Date().timeIntervalSince1970)
        XCTAssertLessThanOrEqual(abs(now.secondsSinceEpoch - system), 2)
        XCTAssertTrue((0...999).contains(now.millisecond))
    }
}

import NIOCore
import WSEngine
import XCTest

@testable import WSTerminal

/// The end conditions of a script's session, message by message, and the regular expressions of `--until`.
final class EndConditionsTests: XCTestCase {
    private func verdicts(_ conditions: EndConditions, _ messages: [(String, Bool)]) -> [String] {
        var tracker = EndConditionTracker(conditions)
        return messages.map { text, isText in
            switch tracker.message(ByteBuffer(string: text), isText: isText) {
            case .show: "show"
            case .showAndEnd: "end"
            case .drop: "drop"
            }
        }
    }

    func testCountShowsThatManyAndDropsTheRest() {
        let messages = [("a", true), ("b", false), ("c", true), ("d", true)]
        XCTAssertEqual(self.verdicts(EndConditions(messageLimit: 2), messages), ["show", "end", "drop", "drop"])
        XCTAssertEqual(self.verdicts(EndConditions(messageLimit: 1), messages), ["end", "drop", "drop", "drop"])
        XCTAssertEqual(self.verdicts(EndConditions(), messages), ["show", "show", "show", "show"])
    }

    func testUntilMatchesTextOnly() throws {
        let pattern = try MessagePattern("\"ok\": *true")
        let conditions = EndConditions(pattern: pattern)
        XCTAssertEqual(
            self.verdicts(
                conditions,
                [("{\"ok\":false}", true), ("{\"ok\":true}", false), ("{\"ok\": true}", true), ("x", true)]
            ),
            ["show", "show", "end", "drop"]
        )
        var tracker = EndConditionTracker(conditions)
        _ = tracker.message(ByteBuffer(string: "\"ok\":true"), isText: true)
        XCTAssertEqual(tracker.ended, .match)
    }

    func testWhicheverComesFirst() throws {
        let conditions = EndConditions(messageLimit: 3, pattern: try MessagePattern("^b$"))
        XCTAssertEqual(self.verdicts(conditions, [("a", true), ("b", true), ("c", true)]), ["show", "end", "drop"])
        var tracker = EndConditionTracker(EndConditions(messageLimit: 1, idleTimeout: .seconds(1)))
        _ = tracker.message(ByteBuffer(string: "a"), isText: true)
        XCTAssertFalse(tracker.idled(), "the count ended it first")
        XCTAssertEqual(tracker.ended, .messageLimit)
        var silent = EndConditionTracker(EndConditions(idleTimeout: .seconds(2)))
        XCTAssertTrue(silent.idled())
        XCTAssertEqual(silent.ended, .idle(.seconds(2)))
        XCTAssertEqual(silent.message(ByteBuffer(string: "late"), isText: true), .drop)
        var unbounded = EndConditionTracker(EndConditions())
        XCTAssertFalse(unbounded.idled(), "no --idle-timeout")
    }

    func testPatternsAreExtendedRegularExpressionsOverBytes() throws {
        let cases: [(String, String, Bool)] = [
            ("a|b", "xbx", true), ("^a+$", "aaa", true), ("^a+$", "aab", false), ("(ab){2}", "abab", true),
            ("[0-9]{3}", "12", false), ("x", "", false), ("^$", "", true), ("b", "a\u{0}b", true),
            ("é", "café", true),
        ]
        for (source, text, expected) in cases {
            XCTAssertEqual(
                try MessagePattern(source).matches(ByteBuffer(string: text)),
                expected,
                "\(source) ~ \(text)"
            )
        }
        for bad in ["(", "a{2", "[z-a]"] {
            XCTAssertThrowsError(try MessagePattern(bad), bad) { error in
                XCTAssertFalse((error as? MessagePattern.PatternError)?.reason.isEmpty ?? true)
            }
        }
    }
}

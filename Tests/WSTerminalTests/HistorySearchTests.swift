import XCTest

@testable import WSTerminal

final class HistorySearchTests: XCTestCase {
    private static func scalars(_ text: String) -> [Unicode.Scalar] {
        Array(text.unicodeScalars)
    }

    private func search(_ entries: [String], line: String = "", cursor: Int = 0) -> HistorySearch {
        HistorySearch(entries: entries.map(Self.scalars), line: Self.scalars(line), cursor: cursor)
    }

    func testStartsShowingTheLineAsItWas() {
        let search = self.search(["one"], line: "draft", cursor: 2)
        XCTAssertEqual(search.start, .show(prompt: "(reverse-i-search)`': ", line: Self.scalars("draft"), cursor: 2))
    }

    func testEachCharacterNarrowsToTheNewestEntryContainingTheQuery() {
        var search = self.search(["send hello", "ping", "send help"])
        XCTAssertEqual(
            search.handle(.character("h")),
            .show(prompt: "(reverse-i-search)`h': ", line: Self.scalars("send help"), cursor: 5)
        )
        XCTAssertEqual(
            search.handle(.character("e")),
            .show(
                prompt: "(reverse-i-search)`he': ",
                line: Self.scalars("send help"),
                cursor: 5
            )
        )
        XCTAssertEqual(
            search.handle(.character("l")),
            .show(
                prompt: "(reverse-i-search)`hel': ",
                line: Self.scalars("send help"),
                cursor: 5
            )
        )
        XCTAssertEqual(
            search.handle(.character("l")),
            .show(
                prompt: "(reverse-i-search)`hell': ",
                line: Self.scalars("send hello"),
                cursor: 5
            )
        )
    }

    func testSearchAgainGoesOlderAndSaysWhenNothingOlderMatches() {
        var search = self.search(["ab 1", "xx", "ab 2"])
        _ = search.handle(.character("a"))
        XCTAssertEqual(
            search.handle(.searchAgain),
            .show(prompt: "(reverse-i-search)`a': ", line: Self.scalars("ab 1"), cursor: 0)
        )
        XCTAssertEqual(
            search.handle(.searchAgain),
            .show(prompt: "(failed reverse-i-search)`a': ", line: Self.scalars("ab 1"), cursor: 0)
        )
    }

    func testDeleteBackwardWidensTheSearchAgain() {
        var search = self.search(["abc", "abd"])
        _ = search.handle(.character("a"))
        _ = search.handle(.character("b"))
        _ = search.handle(.character("c"))
        XCTAssertEqual(
            search.handle(.deleteBackward),
            .show(prompt: "(reverse-i-search)`ab': ", line: Self.scalars("abd"), cursor: 0)
        )
    }

    func testCancelPutsTheLineBackAndAnyOtherKeyTakesTheMatch() {
        var cancelled = self.search(["hello"], line: "draft", cursor: 5)
        _ = cancelled.handle(.character("l"))
        XCTAssertEqual(cancelled.handle(.cancel), .finish(line: Self.scalars("draft"), cursor: 5))

        var taken = self.search(["hello"], line: "draft", cursor: 5)
        _ = taken.handle(.character("l"))
        XCTAssertEqual(taken.handle(.other), .finish(line: Self.scalars("hello"), cursor: 2))
    }

    func testNothingFoundKeepsTheLineAsItWas() {
        var search = self.search([], line: "draft", cursor: 1)
        XCTAssertEqual(
            search.handle(.character("z")),
            .show(prompt: "(failed reverse-i-search)`z': ", line: Self.scalars("draft"), cursor: 1)
        )
        XCTAssertEqual(search.handle(.other), .finish(line: Self.scalars("draft"), cursor: 1))
    }
}

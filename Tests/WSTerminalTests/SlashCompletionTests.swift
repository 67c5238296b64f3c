import XCTest

@testable import WSTerminal

final class SlashCompletionTests: XCTestCase {
    func testOrdinaryMessagesAndEscapedSlashesAreNotCompleted() {
        XCTAssertEqual(SlashCompletion.complete(""), .nothing)
        XCTAssertEqual(SlashCompletion.complete("hello"), .nothing)
        XCTAssertEqual(SlashCompletion.complete("//pi"), .nothing)
        XCTAssertEqual(SlashCompletion.complete("/ping hel"), .nothing)
    }

    func testACommandNameIsCompletedWithASpaceWhenItTakesAnArgument() {
        XCTAssertEqual(SlashCompletion.complete("/c"), .insert("lose "))
        XCTAssertEqual(SlashCompletion.complete("/he"), .insert("lp"))
        XCTAssertEqual(SlashCompletion.complete("/sa"), .insert("ve "))
        XCTAssertEqual(SlashCompletion.complete("/x"), .nothing)
    }

    func testSeveralMatchesAreListed() {
        XCTAssertEqual(
            SlashCompletion.complete("/"),
            .choices([
                "/binary", "/close", "/help", "/json", "/ping", "/quit", "/reconnect", "/save", "/send", "/status",
            ])
        )
    }

    func testCloseCodesCompleteAsFarAsTheyAgreeThenAreListedWithTheirNames() {
        XCTAssertEqual(SlashCompletion.complete("/close "), .insert("10"))
        XCTAssertEqual(
            SlashCompletion.complete("/close 101"),
            .choices([
                "1010 (mandatory extension)", "1011 (internal server error)", "1012 (service restart)",
                "1013 (try again later)", "1014 (bad gateway)",
            ])
        )
        XCTAssertEqual(SlashCompletion.complete("/close 1014"), .insert(" "))
        XCTAssertEqual(SlashCompletion.complete("/close 4000"), .nothing)
        XCTAssertEqual(SlashCompletion.complete("/close 1000 bye"), .nothing)
    }
}

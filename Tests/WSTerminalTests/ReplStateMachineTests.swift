import WSEngine
import XCTest

@testable import WSTerminal

final class ReplStateMachineTests: XCTestCase {
    func testLinesWhileChatting() {
        var machine = ReplStateMachine()
        XCTAssertEqual(machine.lineEntered(.text("hi")), .sendText("hi"))
        XCTAssertEqual(machine.lineEntered(.ping("p")), .sendPing("p"))
        XCTAssertEqual(machine.lineEntered(.nothing), .none)
        XCTAssertEqual(machine.lineEntered(.help), .showHelp)
        XCTAssertEqual(machine.lineEntered(.invalid("no")), .showError("no"))
        XCTAssertEqual(machine.state, .chatting)
    }

    func testCloseAndQuitStartTheClosingHandshake() {
        var machine = ReplStateMachine()
        XCTAssertEqual(
            machine.lineEntered(.close(CloseCode(4000), reason: "bye")),
            .startClosing(CloseCode(4000), reason: "bye")
        )
        XCTAssertEqual(machine.state, .closing)
        var quitting = ReplStateMachine()
        XCTAssertEqual(quitting.lineEntered(.quit), .startClosing(.normalClosure, reason: ""))
        XCTAssertEqual(quitting.state, .closing)
    }

    func testEndOfInputClosesNormally() {
        var machine = ReplStateMachine()
        XCTAssertEqual(machine.endOfInput(), .startClosing(.normalClosure, reason: ""))
        XCTAssertEqual(machine.state, .closing)
        XCTAssertEqual(machine.sessionEnded(), .finish)
        XCTAssertEqual(machine.state, .finished)
    }

    func testALostTerminalGoesAwayAndWhileClosingLeavesTheCloseToItsTimeout() {
        var machine = ReplStateMachine()
        XCTAssertEqual(machine.terminalLost(), .startClosing(.goingAway, reason: ""))
        XCTAssertEqual(machine.state, .closing)
        XCTAssertEqual(machine.terminalLost(), .none)
        XCTAssertEqual(machine.state, .closing)
        XCTAssertEqual(machine.sessionEnded(), .finish)
    }

    func testInterruptClearsATypedLineAndClosesOnAnEmptyOne() {
        var machine = ReplStateMachine()
        XCTAssertEqual(machine.interrupt(lineIsEmpty: false), .clearLine)
        XCTAssertEqual(machine.state, .chatting)
        XCTAssertEqual(machine.interrupt(lineIsEmpty: true), .startClosing(.normalClosure, reason: ""))
        XCTAssertEqual(machine.state, .closing)
    }

    func testInterruptDuringAHistorySearchCancelsTheSearch() {
        var machine = ReplStateMachine()
        XCTAssertEqual(machine.interrupt(lineIsEmpty: false, searching: true), .cancelSearch)
        XCTAssertEqual(machine.interrupt(lineIsEmpty: true, searching: true), .cancelSearch)
        XCTAssertEqual(machine.state, .chatting)
    }

    func testASecondInterruptWhileClosingStopsWaiting() {
        var machine = ReplStateMachine()
        _ = machine.interrupt(lineIsEmpty: true)
        XCTAssertEqual(machine.interrupt(lineIsEmpty: true), .abandon)
        XCTAssertEqual(machine.state, .finished)
        XCTAssertEqual(machine.interrupt(lineIsEmpty: true), .none)
        XCTAssertEqual(machine.sessionEnded(), .none)
    }

    func testTerminationGoesAwayAndASecondOneStopsWaiting() {
        var machine = ReplStateMachine()
        XCTAssertFalse(machine.stoppedBySignal)
        XCTAssertEqual(machine.terminationRequested(), .startClosing(.goingAway, reason: ""))
        XCTAssertTrue(machine.stoppedBySignal, "the runner exits as for a signal")
        XCTAssertEqual(machine.terminationRequested(), .abandon)
        XCTAssertEqual(machine.terminationRequested(), .none)
    }

    func testTheServerClosingWhileChattingFinishes() {
        var machine = ReplStateMachine()
        XCTAssertEqual(machine.sessionEnded(), .finish)
        XCTAssertEqual(machine.state, .finished)
        XCTAssertEqual(machine.sessionEnded(), .none)
    }

    func testOnlyATerminationSignalOrALostTerminalCountsAsStoppedBySignal() {
        var typed = ReplStateMachine()
        XCTAssertEqual(typed.interrupt(lineIsEmpty: true), .startClosing(.normalClosure, reason: ""))
        XCTAssertFalse(typed.stoppedBySignal, "Ctrl-C is a key in the REPL")
        var lost = ReplStateMachine()
        XCTAssertEqual(lost.terminalLost(), .startClosing(.goingAway, reason: ""))
        XCTAssertTrue(lost.stoppedBySignal)
    }

    func testJSONAndSaveAreCarriedOutWhileChatting() {
        var machine = ReplStateMachine()
        XCTAssertEqual(machine.lineEntered(.toggleJSON), .toggleJSON)
        XCTAssertEqual(machine.lineEntered(.save("log")), .saveTranscript("log"))
        XCTAssertEqual(machine.state, .chatting)
    }
}

import WSEngine
import XCTest

@testable import WSTerminal

/// ``ReplStateMachine`` in `--listen`: `/close` closes the clients and serving goes on; leaving says 1001.
final class ServingStateMachineTests: XCTestCase {
    func testCloseClosesTheClientsAndKeepsChatting() {
        var machine = ReplStateMachine(serving: true)
        XCTAssertEqual(
            machine.lineEntered(.close(CloseCode(4000), reason: "bye")),
            .closeClients(CloseCode(4000), reason: "bye")
        )
        XCTAssertEqual(machine.state, .chatting)
        XCTAssertEqual(machine.lineEntered(.text("hi")), .sendText("hi"))
    }

    func testEveryWayOfLeavingSaysGoingAway() {
        var quitting = ReplStateMachine(serving: true)
        XCTAssertEqual(quitting.lineEntered(.quit), .startClosing(.goingAway, reason: ""))
        XCTAssertEqual(quitting.state, .closing)
        var ended = ReplStateMachine(serving: true)
        XCTAssertEqual(ended.endOfInput(), .startClosing(.goingAway, reason: ""))
        var interrupted = ReplStateMachine(serving: true)
        XCTAssertEqual(interrupted.interrupt(lineIsEmpty: false), .clearLine)
        XCTAssertEqual(interrupted.interrupt(lineIsEmpty: true), .startClosing(.goingAway, reason: ""))
        XCTAssertEqual(interrupted.interrupt(lineIsEmpty: true), .abandon)
        var terminated = ReplStateMachine(serving: true)
        XCTAssertEqual(terminated.terminationRequested(), .startClosing(.goingAway, reason: ""))
        XCTAssertEqual(terminated.sessionEnded(), .finish)
    }
}

import XCTest

@testable import WSTLS

/// The rules of `TLSClientStateMachine`, without a channel.
final class TLSClientStateMachineTests: XCTestCase {
    func testWritesWaitUntilTheHandshakeCompletes() {
        var machine = TLSClientStateMachine()
        XCTAssertEqual(machine.write(), .enqueue)
        XCTAssertEqual(machine.flush(), .wait)
        XCTAssertEqual(machine.channelActive(), .startHandshake)
        XCTAssertEqual(machine.flush(), .wait)
        XCTAssertEqual(machine.channelRead(), .continueHandshake)
        machine.handshakeCompleted()
        XCTAssertEqual(machine.flush(), .encrypt)
        XCTAssertEqual(machine.channelRead(), .readApplicationData)
    }

    func testTheHandshakeStartsOnce() {
        var machine = TLSClientStateMachine()
        XCTAssertEqual(machine.channelActive(), .startHandshake)
        XCTAssertEqual(machine.channelActive(), .none)
    }

    func testClosingBeforeTheHandshakeClosesAtOnce() {
        var machine = TLSClientStateMachine()
        _ = machine.channelActive()
        XCTAssertEqual(machine.closeRequested(), .closeNow)
        XCTAssertEqual(machine.write(), .fail)
        XCTAssertEqual(machine.flush(), .none)
    }

    func testClosingAnActiveConnectionSendsCloseNotifyOnce() {
        var machine = TLSClientStateMachine()
        _ = machine.channelActive()
        machine.handshakeCompleted()
        XCTAssertEqual(machine.closeRequested(), .sendCloseNotifyThenClose)
        XCTAssertEqual(machine.closeRequested(), .forward)
        XCTAssertEqual(machine.channelRead(), .discard)
        XCTAssertEqual(machine.peerClosed(), .none)
    }

    func testPeersCloseNotifyIsAnsweredOnce() {
        var machine = TLSClientStateMachine()
        _ = machine.channelActive()
        machine.handshakeCompleted()
        XCTAssertEqual(machine.peerClosed(), .replyThenClose)
        XCTAssertEqual(machine.closeRequested(), .forward)
        XCTAssertEqual(machine.write(), .fail)
    }

    func testEndOfStreamIsAFailureOnlyDuringTheHandshake() {
        var handshaking = TLSClientStateMachine()
        _ = handshaking.channelActive()
        XCTAssertEqual(handshaking.channelInactive(), .failHandshake)

        var active = TLSClientStateMachine()
        _ = active.channelActive()
        active.handshakeCompleted()
        XCTAssertEqual(active.channelInactive(), .failWaitingWrites)
    }

    func testAFailureIsReportedOnce() {
        var machine = TLSClientStateMachine()
        _ = machine.channelActive()
        XCTAssertEqual(machine.failed(), .reportAndClose)
        XCTAssertEqual(machine.failed(), .none)
        XCTAssertEqual(machine.channelRead(), .discard)
        XCTAssertEqual(machine.channelInactive(), .failWaitingWrites)
    }

    func testARenegotiationHoldsWritesUntilBytesHaveBeenRead() {
        var machine = TLSClientStateMachine()
        _ = machine.channelActive()
        machine.handshakeCompleted()
        XCTAssertFalse(machine.needsPeerBytes)

        machine.encryptionNeedsRead()
        XCTAssertEqual(machine.write(), .enqueue)
        XCTAssertEqual(machine.flush(), .wait)
        XCTAssertTrue(machine.needsPeerBytes, "reads go on even if the application stopped asking")
        XCTAssertEqual(machine.channelRead(), .readApplicationData)
        XCTAssertEqual(machine.readCompleted(), .retryWrites)
        XCTAssertEqual(machine.flush(), .encrypt)
        XCTAssertEqual(machine.readCompleted(), .none)
    }

    func testARenegotiationEndsLikeAnActiveConnection() {
        var machine = TLSClientStateMachine()
        _ = machine.channelActive()
        machine.handshakeCompleted()
        machine.encryptionNeedsRead()
        XCTAssertEqual(machine.channelInactive(), .failWaitingWrites)

        var closing = TLSClientStateMachine()
        _ = closing.channelActive()
        closing.handshakeCompleted()
        closing.encryptionNeedsRead()
        XCTAssertEqual(closing.closeRequested(), .sendCloseNotifyThenClose)
        XCTAssertEqual(closing.readCompleted(), .none)
    }
}

import NIOCore
import NIOWebSocket
import XCTest

@testable import WSEngine

final class SessionStateMachineTests: XCTestCase {
    private func frame(_ opcode: WebSocketOpcode, _ text: String, fin: Bool = true) -> WebSocketFrame {
        WebSocketFrame(fin: fin, opcode: opcode, data: ByteBuffer(string: text))
    }

    private func closeFrame(_ bytes: [UInt8]) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: .connectionClose, data: ByteBuffer(bytes: bytes))
    }

    private func violation(_ action: SessionStateMachine.FrameAction) -> ProtocolViolation? {
        guard case .failConnection(_, let report) = action else { return nil }
        return report.violation
    }

    func testTextMessageIsDelivered() {
        var machine = SessionStateMachine(maxMessageSize: 100)
        guard case .deliver(.text(let payload)) = machine.received(self.frame(.text, "hi")) else {
            return XCTFail("not delivered")
        }
        XCTAssertEqual(String(buffer: payload), "hi")
    }

    func testFragmentsAreJoinedWithControlFramesBetween() {
        var machine = SessionStateMachine(maxMessageSize: 100)
        guard case .none = machine.received(self.frame(.text, "frag", fin: false)) else { return XCTFail() }
        guard case .answerPing(let ping) = machine.received(self.frame(.ping, "p")) else { return XCTFail() }
        XCTAssertEqual(String(buffer: ping), "p")
        guard case .none = machine.received(self.frame(.continuation, "men", fin: false)) else { return XCTFail() }
        guard case .deliver(.text(let payload)) = machine.received(self.frame(.continuation, "ted")) else {
            return XCTFail()
        }
        XCTAssertEqual(String(buffer: payload), "fragmented")
    }

    func testViolationsCloseWithTheirCodes() {
        let masked = WebSocketFrame(fin: true, opcode: .text, maskKey: [1, 2, 3, 4], data: ByteBuffer(string: "x"))
        let rsv = WebSocketFrame(fin: true, rsv1: true, opcode: .text, data: ByteBuffer(string: "x"))
        let reserved = WebSocketFrame(
            fin: true,
            opcode: WebSocketOpcode(encodedWebSocketOpcode: 0xB)!,
            data: ByteBuffer()
        )
        let cases: [([WebSocketFrame], CloseCode)] = [
            ([masked], .protocolError),
            ([rsv], .protocolError),
            ([reserved], .protocolError),
            ([self.frame(.continuation, "x")], .protocolError),
            ([self.frame(.text, "a", fin: false), self.frame(.binary, "b")], .protocolError),
            ([WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(bytes: [0xC3, 0x28]))], .invalidPayloadData),
            ([self.closeFrame([0x03])], .protocolError),
            ([self.closeFrame([0x03, 0xED])], .protocolError),
            ([self.closeFrame([0x03, 0xE8, 0xC3, 0x28])], .protocolError),
            ([self.frame(.text, String(repeating: "x", count: 101))], .messageTooBig),
            (
                [
                    self.frame(.text, String(repeating: "x", count: 60), fin: false),
                    self.frame(.continuation, String(repeating: "x", count: 60)),
                ], .messageTooBig
            ),
        ]
        for (frames, code) in cases {
            var machine = SessionStateMachine(maxMessageSize: 100)
            var last = SessionStateMachine.FrameAction.none
            for frame in frames {
                last = machine.received(frame)
            }
            XCTAssertEqual(self.violation(last)?.closeCode, code, "\(frames)")
            guard case .none = machine.received(self.frame(.text, "after")) else {
                return XCTFail("frames after the end must be ignored")
            }
        }
    }

    func testServerCloseIsEchoedAndReported() {
        var machine = SessionStateMachine(maxMessageSize: 100)
        guard
            case .sendCloseThenShutdown(let code, _, let report) = machine.received(
                self.closeFrame([0x0F, 0xA1, 0x62])
            )
        else {
            return XCTFail()
        }
        XCTAssertEqual(code, CloseCode(4001))
        XCTAssertEqual(report, CloseReport(initiator: .remote, code: CloseCode(4001), reason: "b"))
        XCTAssertFalse(machine.canSendData)
    }

    func testEmptyServerCloseIsAnsweredWithNormalClosure() {
        var machine = SessionStateMachine(maxMessageSize: 100)
        guard case .sendCloseThenShutdown(let code, _, let report) = machine.received(self.closeFrame([])) else {
            return XCTFail()
        }
        XCTAssertEqual(code, .normalClosure)
        XCTAssertEqual(report.code, .noStatusReceived)
    }

    func testOurCloseAnsweredEndsTheSession() {
        var machine = SessionStateMachine(maxMessageSize: 100)
        guard case .sendClose(.normalClosure, "done") = machine.closeRequested(.normalClosure, reason: "done") else {
            return XCTFail()
        }
        guard case .none = machine.closeRequested(.goingAway, reason: "") else { return XCTFail("only one Close") }
        XCTAssertFalse(machine.canSendData)
        guard case .deliver(.text) = machine.received(self.frame(.text, "still arriving")) else {
            return XCTFail("messages sent before the server saw our Close are still delivered")
        }
        guard case .shutdown(let report) = machine.received(self.closeFrame([0x03, 0xE8])) else { return XCTFail() }
        XCTAssertEqual(report, CloseReport(initiator: .local, code: .normalClosure, reason: "done"))
        XCTAssertNil(machine.connectionDropped(), "reported once")
    }

    func testCloseTimeoutAndDrop() {
        var waiting = SessionStateMachine(maxMessageSize: 100)
        _ = waiting.closeRequested(.normalClosure, reason: "")
        XCTAssertEqual(waiting.closeTimedOut()?.peerDidNotAnswer, true)
        XCTAssertNil(waiting.closeTimedOut())

        var open = SessionStateMachine(maxMessageSize: 100)
        XCTAssertNil(open.closeTimedOut(), "no timer runs while open")
        XCTAssertEqual(open.connectionDropped()?.code, .abnormalClosure)
    }
}

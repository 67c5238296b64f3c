import WSEngine
import XCTest

@testable import WSTerminal

/// The one line that reports how a session ended, outside the REPL: who closed, the code, the reason, and
/// the option behind a limit that ended it.
final class CloseReportSummaryTests: XCTestCase {
    func testCloseReportSummaries() {
        XCTAssertEqual(
            CloseReport(initiator: .remote, code: .goingAway, reason: "bye").summary,
            "server closed the connection: 1001 (going away) \"bye\""
        )
        XCTAssertEqual(
            CloseReport(initiator: .local, code: .normalClosure, reason: "").summary,
            "closed: 1000 (normal closure)"
        )
        XCTAssertTrue(
            CloseReport(initiator: .remote, code: .abnormalClosure, reason: "").summary.contains(
                "without a Close frame"
            )
        )
        XCTAssertEqual(
            CloseReport(
                initiator: .remote,
                code: .abnormalClosure,
                reason: "",
                transportFailure: "connection reset by peer"
            ).summary(peer: "client"),
            "connection to the client failed without a Close frame: 1006 (abnormal closure); connection reset by peer"
        )
        XCTAssertEqual(
            CloseReport(
                initiator: .local,
                code: .normalClosure,
                reason: "",
                peerDidNotAnswer: true,
                transportFailure: "connection reset by peer"
            ).summary,
            "closed: 1000 (normal closure); the connection failed before the server answered the Close: "
                + "connection reset by peer"
        )
        let violation = ProtocolViolation(closeCode: .protocolError, "server sent a masked frame")
        XCTAssertEqual(
            CloseReport(initiator: .local, code: .protocolError, reason: "", violation: violation).summary,
            "protocol error: server sent a masked frame; wsc closed the connection with 1002 (protocol error)"
        )
        let tooBig = ProtocolViolation(
            closeCode: .messageTooBig,
            "message of more than 10 bytes",
            limit: .maxMessageSize
        )
        XCTAssertEqual(
            CloseReport(initiator: .local, code: .messageTooBig, reason: "", violation: tooBig).summary,
            "protocol error: message of more than 10 bytes (--max-message-size); wsc closed the connection with "
                + "1009 (message too big)"
        )
        XCTAssertEqual(
            CloseReport(
                initiator: .remote,
                code: .abnormalClosure,
                reason: "",
                transportFailure: "nothing received for 2 s after a ping",
                failedLimit: .pingTimeout
            ).summary,
            "connection to the server failed without a Close frame: 1006 (abnormal closure); nothing received for "
                + "2 s after a ping (--ping-timeout)"
        )
        XCTAssertEqual(EngineLimit.connectTimeout.optionName, "--connect-timeout")
    }
}

import NIOHTTP2
import XCTest

@testable import WSEngine

/// The steps before the extended CONNECT (RFC 8441 section 3): ALPN's h2, then the server's setting.
final class HTTP2OpeningStateMachineTests: XCTestCase {
    private let allowing: HTTP2Settings = [
        HTTP2Setting(parameter: .maxConcurrentStreams, value: 100),
        HTTP2Setting(parameter: .enableConnectProtocol, value: 1),
    ]

    func testOverTLSALPNMustSelectH2BeforeTheSettingsCount() {
        var machine = HTTP2OpeningStateMachine(secure: true)
        XCTAssertEqual(machine.tlsCompleted(applicationProtocol: "h2"), .none)
        XCTAssertEqual(machine.settingsReceived(self.allowing), .openStream)
        XCTAssertEqual(machine.settingsReceived([]), .none, "only the first SETTINGS decide")
        machine.streamOpened()
        XCTAssertEqual(machine.state, .open)
        XCTAssertEqual(machine.goAwayReceived(.goAway(.noError)), .none, "the stream reports it")
        XCTAssertEqual(machine.connectionEnded(), .none)
        for selected in ["http/1.1", nil] {
            var refused = HTTP2OpeningStateMachine(secure: true)
            XCTAssertEqual(
                refused.tlsCompleted(applicationProtocol: selected),
                .fail(.applicationProtocol(selected: selected))
            )
            XCTAssertEqual(refused.state, .failed)
        }
    }

    func testTheSettingMustBeOne() {
        for settings: HTTP2Settings in [[], [HTTP2Setting(parameter: .enableConnectProtocol, value: 0)]] {
            var machine = HTTP2OpeningStateMachine(secure: false)
            XCTAssertEqual(machine.settingsReceived(settings), .fail(.connectProtocolNotEnabled))
            XCTAssertEqual(machine.connectionEnded(), .none, "already failed")
        }
    }

    func testAGoAwayOrHangUpBeforeTheSettingsFailsTheOpening() {
        var hungUp = HTTP2OpeningStateMachine(secure: false)
        XCTAssertEqual(hungUp.connectionEnded(), .fail(.closedBeforeSettings))
        var goneAway = HTTP2OpeningStateMachine(secure: false)
        XCTAssertEqual(goneAway.goAwayReceived(.goAway(.refusedStream)), .fail(.goAway(.refusedStream)))
        var opening = HTTP2OpeningStateMachine(secure: false)
        XCTAssertEqual(opening.settingsReceived(self.allowing), .openStream)
        XCTAssertEqual(opening.goAwayReceived(.goAway(.noError)), .none, "the stream's answer may still come")
    }
}

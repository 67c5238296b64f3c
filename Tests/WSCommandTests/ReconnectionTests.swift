import NIOCore
import XCTest

@testable import WSCommand
@testable import WSEngine

/// `--reconnect`'s decisions, failure by failure: what is retried, how long the waits are, and when it stops.
final class ReconnectionTests: XCTestCase {
    private func dropped(_ code: UInt16, by initiator: CloseReport.Initiator = .remote) -> Reconnection.Failure {
        .session(CloseReport(initiator: initiator, code: CloseCode(code), reason: ""), lasted: .seconds(1))
    }

    func testWhatIsRetried() {
        for code: UInt16 in [1001, 1006, 1011, 1012, 1013, 1014] {
            var policy = Reconnection(maxAttempts: nil)
            XCTAssertNotEqual(policy.decide(self.dropped(code), random: { 0.5 }), .stop, "\(code)")
        }
        for failure in [self.dropped(1000), self.dropped(1008), self.dropped(4000), self.dropped(1001, by: .local)] {
            var policy = Reconnection(maxAttempts: nil)
            XCTAssertEqual(policy.decide(failure, random: { 0.5 }), .stop)
        }
        let violation = ProtocolViolation(closeCode: .protocolError, "x")
        var strict = Reconnection(maxAttempts: nil)
        let broken = CloseReport(initiator: .remote, code: .protocolError, reason: "", violation: violation)
        XCTAssertEqual(strict.decide(.session(broken, lasted: .zero), random: { 0 }), .stop)
        let cases: [(WebSocketClientError, Bool)] = [
            (.connectionFailed("refused"), true),
            (WebSocketClientError(.handshakeRejected, "busy", status: 503), true),
            (WebSocketClientError(.handshakeRejected, "slow down", status: 429), true),
            (WebSocketClientError(.handshakeRejected, "forbidden", status: 403), false),
            (.handshakeRejected("bad accept"), false),
            (WebSocketClientError(.tls, "untrusted"), false),
        ]
        for (error, retried) in cases {
            var policy = Reconnection(maxAttempts: nil)
            XCTAssertEqual(policy.decide(.connect(error), random: { 0.5 }) != .stop, retried, error.description)
        }
    }

    func testWaitsGrowWithFullJitterUpToTheCap() {
        var policy = Reconnection(maxAttempts: nil)
        var bounds: [Duration] = []
        for _ in 0..<9 {
            guard case .retry(let delay, _) = policy.decide(.connect(.connectionFailed("x")), random: { 1 }) else {
                return XCTFail("retried")
            }
            bounds.append(delay)
        }
        XCTAssertEqual(bounds, [0.5, 1, 2, 4, 8, 16, 30, 30, 30].map { Duration.milliseconds(Int64($0 * 1000)) })
        var jittered = Reconnection(maxAttempts: nil)
        XCTAssertEqual(
            jittered.decide(.connect(.connectionFailed("x")), random: { 0.5 }),
            .retry(after: .milliseconds(250), attempt: 1)
        )
        var early = Reconnection(maxAttempts: nil)
        XCTAssertEqual(early.decide(.connect(.connectionFailed("x")), random: { 0 }), .retry(after: .zero, attempt: 1))
    }

    func testRetryAfterReplacesTheWait() {
        var policy = Reconnection(maxAttempts: nil)
        let busy = WebSocketClientError(.handshakeRejected, "busy", status: 503, retryAfter: .seconds(7))
        XCTAssertEqual(policy.decide(.connect(busy), random: { 0.1 }), .retry(after: .seconds(7), attempt: 1))
    }

    func testAttemptsInARowAreLimitedAndASteadySessionStartsAgain() {
        var policy = Reconnection(maxAttempts: 2)
        XCTAssertEqual(policy.decide(self.dropped(1006), random: { 0 }), .retry(after: .zero, attempt: 1))
        XCTAssertEqual(policy.decide(self.dropped(1006), random: { 0 }), .retry(after: .zero, attempt: 2))
        XCTAssertEqual(policy.decide(self.dropped(1006), random: { 0 }), .stop)
        var steady = Reconnection(maxAttempts: 2)
        _ = steady.decide(self.dropped(1006), random: { 0 })
        _ = steady.decide(self.dropped(1006), random: { 0 })
        let long = CloseReport(initiator: .remote, code: .abnormalClosure, reason: "")
        XCTAssertEqual(
            steady.decide(.session(long, lasted: Reconnection.steadyAfter), random: { 0 }),
            .retry(after: .zero, attempt: 1),
            "a session that stayed open counts as recovery"
        )
    }
}

import Foundation
import XCTest

/// `wsc bench` against real servers: nothing lost or counted twice, a known latency measured as such, failures
/// counted by cause, and the exit codes of failures and thresholds.
final class BenchTests: EndToEndTestCase {
    /// Runs `wsc bench` with `--format json` and returns the parsed report with the run's result.
    private func bench(_ arguments: [String]) throws -> (report: [String: Any], result: WSCResult) {
        let result = try WSCProcess.run(["bench", "--format", "json"] + arguments)
        let object = try JSONSerialization.jsonObject(with: result.stdout)
        return (try XCTUnwrap(object as? [String: Any], "stdout: \(result.output)"), result)
    }

    private func number(_ report: [String: Any], _ path: String...) throws -> Double {
        var value: Any = report
        for key in path {
            value = try XCTUnwrap((value as? [String: Any])?[key], "no \(path.joined(separator: ".")) in \(report)")
        }
        return try XCTUnwrap((value as? NSNumber)?.doubleValue, "\(path.joined(separator: ".")) is not a number")
    }

    func testAHundredConnectionsToWSCEchoLoseAndDoubleNothing() throws {
        let server = try WSCListener(["--echo"])
        defer { _ = server.stop() }
        let (report, result) = try self.bench(["-c", "100", "-n", "5000", "--pipeline", "4", server.url])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try self.number(report, "connections", "opened"), 100)
        XCTAssertEqual(try self.number(report, "messages", "sent"), 5000)
        XCTAssertEqual(try self.number(report, "messages", "received"), 5000)
        XCTAssertEqual(try self.number(report, "messages", "unmatched"), 0)
        XCTAssertEqual(try self.number(report, "messages", "lost"), 0)
        XCTAssertEqual(try self.number(report, "round_trip_ms", "count"), 5000)
        XCTAssertEqual(try self.number(report, "connections", "close_codes", "1000"), 100)
        XCTAssertEqual(try self.number(report, "messages", "received_bytes"), 5000 * 32)
    }

    func testTheMedianOfAServerThatAnswersIn20MillisecondsIsAbout20() throws {
        let server = try self.startServer("delayed-echo", ["--delay", "0.02"])
        let (report, result) = try self.bench(["-c", "4", "-n", "200", "--size", "100", server.url()])
        XCTAssertEqual(result.status, 0, result.stderr)
        let p50 = try self.number(report, "round_trip_ms", "p50")
        XCTAssertGreaterThanOrEqual(p50, 20)
        XCTAssertLessThanOrEqual(p50, 40)
        XCTAssertEqual(try self.number(report, "messages", "received_bytes"), 200 * 100)
    }

    func testAConstantRateCountsFromWhenEachMessageWasDue() throws {
        let server = try self.startServer("delayed-echo", ["--delay", "0.02"])
        let (report, result) = try self.bench(["-c", "2", "-r", "100", "-n", "50", "--binary", server.url()])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try self.number(report, "messages", "received"), 50)
        let p50 = try self.number(report, "round_trip_ms", "p50")
        XCTAssertGreaterThanOrEqual(p50, 20)
        XCTAssertLessThanOrEqual(p50, 40)
    }

    func testFailuresAndClosesAreCountedByCause() throws {
        let server = try self.startServer("close-some", ["--code", "1011"])
        let (report, result) = try self.bench(["-c", "9", "-d", "1", server.url()])
        XCTAssertEqual(result.status, 4, "503 is the commonest failure: exit 4; stderr: \(result.stderr)")
        XCTAssertEqual(try self.number(report, "connections", "opened"), 6)
        XCTAssertEqual(try self.number(report, "connections", "failures", "http_503"), 3)
        XCTAssertEqual(try self.number(report, "connections", "close_codes", "1011"), 3)
        XCTAssertEqual(try self.number(report, "connections", "close_codes", "1000"), 3)
        XCTAssertTrue(result.stderr.contains("3 connections failed (3 HTTP 503)"), result.stderr)
    }

    func testARefusedPortIsAFailedConnection() throws {
        let port = try ClosedPort.find()
        let (report, result) = try self.bench(["-c", "2", "-n", "10", "ws://127.0.0.1:\(port)/"])
        XCTAssertEqual(result.status, 3)
        XCTAssertEqual(try self.number(report, "connections", "failures", "refused"), 2)
        self.assertOneErrorLine(result, contains: "2 connections failed (2 refused)")
    }

    func testRepliesAreMatchedByAJSONField() throws {
        let server = try self.startServer("json-rpc")
        let template = #"{"jsonrpc":"2.0","id":0,"method":"ping","params":{"id":"x"}}"#
        let (report, result) = try self.bench(
            ["-c", "3", "-n", "300", "--pipeline", "8", "-m", template, "--match-json-field", "id", server.url()]
        )
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try self.number(report, "messages", "received"), 300)
        XCTAssertEqual(try self.number(report, "messages", "unmatched"), 0)
    }

    func testABrokenThresholdExits11() throws {
        let server = try WSCListener(["--echo"])
        defer { _ = server.stop() }
        let result = try WSCProcess.run(["bench", "-n", "20", "--max-p99", "0.000001", server.url])
        XCTAssertEqual(result.status, 11)
        self.assertOneErrorLine(result, contains: "is above --max-p99")
        XCTAssertTrue(result.output.contains("round trip"), result.output)
        XCTAssertTrue(result.output.contains("█"), "the table draws the round trips: \(result.output)")
    }

    func testErrorsWithinMaxErrorsPass() throws {
        let port = try ClosedPort.find()
        let result = try WSCProcess.run(["bench", "-c", "2", "-n", "4", "--max-errors", "2", "ws://127.0.0.1:\(port)/"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let over = try WSCProcess.run(["bench", "-c", "2", "-n", "4", "--max-errors", "1", "ws://127.0.0.1:\(port)/"])
        XCTAssertEqual(over.status, 11)
        self.assertOneErrorLine(over, contains: "more than --max-errors 1")
    }
}

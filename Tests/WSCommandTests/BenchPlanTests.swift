import ArgumentParser
import NIOCore
import WSEngine
import XCTest

@testable import WSCommand

final class BenchPlanTests: XCTestCase {
    private let environment = ProcessEnvironment(variables: [:], stdinIsTerminal: false, stdoutIsTerminal: false)

    private func plan(_ arguments: [String]) throws -> BenchPlan {
        try BenchCommand.parse(arguments).plan(environment: self.environment)
    }

    private func assertUsageError(_ arguments: [String], _ fragment: String, line: UInt = #line) {
        XCTAssertThrowsError(try self.plan(arguments), line: line) { error in
            let message = BenchCommand.message(for: error)
            XCTAssertTrue(message.contains(fragment), message, line: line)
        }
    }

    func testDefaultsAreOneConnectionOneInFlightForTenSeconds() throws {
        let plan = try self.plan(["ws://h/"])
        XCTAssertEqual(plan.configuration.connections, 1)
        XCTAssertEqual(plan.configuration.pacing, .closedLoop(pipeline: 1))
        XCTAssertEqual(plan.configuration.end, .duration(.seconds(10)))
        guard case .echo(let size) = plan.configuration.message else { return XCTFail("not an echo payload") }
        XCTAssertEqual(size, 32)
        XCTAssertEqual(plan.format, .table)
        XCTAssertGreaterThanOrEqual(plan.configuration.threads, 1, "one event loop per core")
    }

    func testLoadOptionsResolve() throws {
        let plan = try self.plan([
            "-c", "64", "--connect-rate", "100", "-n", "1000", "--warmup", "2", "-r", "500", "--size", "1K",
            "--binary", "-x", "login", "--format", "json", "--max-p99", "12.5", "--max-errors", "3",
            "-H", "X-Test: 1", "--no-compression", "ws://h/",
        ])
        XCTAssertEqual(plan.configuration.connections, 64)
        XCTAssertEqual(plan.configuration.connectRate, 100)
        XCTAssertEqual(plan.configuration.end, .messages(1000))
        XCTAssertEqual(plan.configuration.warmup, .seconds(2))
        XCTAssertEqual(plan.configuration.pacing, .constantRate(perSecond: 500))
        XCTAssertTrue(plan.configuration.binary)
        XCTAssertEqual(plan.configuration.login.map { String(buffer: $0) }, ["login"])
        XCTAssertEqual(plan.maxP99, .microseconds(12_500))
        XCTAssertEqual(plan.maxErrors, 3)
        XCTAssertEqual(plan.format, .json)
        XCTAssertEqual(plan.configuration.client.headers.map(\.name), ["X-Test"])
        XCTAssertFalse(plan.configuration.client.session.compression)
        guard case .echo(let size) = plan.configuration.message else { return XCTFail("not an echo payload") }
        XCTAssertEqual(size, 1024)
    }

    func testAMessageIsMatchedInOrderOrByItsField() throws {
        guard case .fixed(let fixed) = try self.plan(["-m", "hi", "ws://h/"]).configuration.message else {
            return XCTFail("not a fixed message")
        }
        XCTAssertEqual(String(buffer: fixed), "hi")
        let json = try self.plan(["-m", #"{"id":1}"#, "--match-json-field", "id", "ws://h/"])
        guard case .jsonField(let field) = json.configuration.message else { return XCTFail("not a JSON field") }
        XCTAssertEqual(field.name, "id")
    }

    func testContradictionsAreUsageErrors() {
        self.assertUsageError(["-d", "1", "-n", "5", "ws://h/"], "pick one")
        self.assertUsageError(["-r", "10", "--pipeline", "2", "ws://h/"], "pick one")
        self.assertUsageError(["--size", "64", "-m", "x", "ws://h/"], "pick one")
        self.assertUsageError(["--size", "31", "ws://h/"], "--size takes 32")
        self.assertUsageError(["--match-json-field", "id", "ws://h/"], "give it with -m")
        self.assertUsageError(["-m", "[1]", "--match-json-field", "id", "ws://h/"], "top-level \"id\"")
        self.assertUsageError(["-c", "0", "ws://h/"], "--connections takes 1")
        self.assertUsageError(["-r", "0", "ws://h/"], "--rate takes")
        self.assertUsageError(["--reconnect", "ws://h/"], "--reconnect does not apply")
        self.assertUsageError(["--message-file", "/nonexistent/file", "ws://h/"], "cannot read")
    }

    func testTheRootCommandStillTakesAURL() throws {
        let command = try XCTUnwrap(RootCommand.parseAsRoot(["ws://h/", "-x", "hi"]) as? RootCommand)
        XCTAssertEqual(command.target.text, "ws://h/")
        XCTAssertTrue(RootCommand.configuration.subcommands.contains { $0 == BenchCommand.self })
    }

    // MARK: - The verdict

    private func report(
        failures: [BenchFailure: Int] = [:],
        closes: [UInt16: Int] = [:],
        lost: Int = 0,
        p99: Duration? = nil
    )
        -> BenchReport
    {
        BenchReport(
            connections: 4,
            opened: 4 - failures.values.reduce(0, +),
            failures: failures,
            closeCodes: closes,
            roundTrip: p99.map {
                LatencySummary(count: 1, min: $0, mean: $0, p50: $0, p90: $0, p99: $0, p999: $0, max: $0)
            },
            lost: lost
        )
    }

    func testACleanRunSucceeds() {
        let verdict = Diagnostics.benchVerdict(
            self.report(closes: [1000: 4], p99: .milliseconds(3)),
            maxP99: .milliseconds(5),
            maxErrors: nil
        )
        XCTAssertEqual(verdict.status, .success)
        XCTAssertEqual(verdict.lines, [])
    }

    func testAnyErrorFailsWithTheCodeOfItsCause() {
        let refused = Diagnostics.benchVerdict(
            self.report(failures: [.refused: 3, .tls: 1]),
            maxP99: nil,
            maxErrors: nil
        )
        XCTAssertEqual(refused.status, .connectionFailed)
        XCTAssertEqual(refused.lines, ["4 connections failed (3 refused, 1 TLS)"])
        let tls = Diagnostics.benchVerdict(self.report(failures: [.tls: 1]), maxP99: nil, maxErrors: nil)
        XCTAssertEqual(tls.status, .tlsFailed)
        let status = Diagnostics.benchVerdict(self.report(failures: [.status(503): 2]), maxP99: nil, maxErrors: nil)
        XCTAssertEqual(status.status, .handshakeRejected)
        let dropped = Diagnostics.benchVerdict(
            self.report(closes: [1000: 3, 1006: 1], lost: 2),
            maxP99: nil,
            maxErrors: nil
        )
        XCTAssertEqual(dropped.status, .abnormalClose)
        XCTAssertEqual(dropped.lines, ["1 connection closed abnormally, 2 messages lost"])
    }

    func testThresholdsExit11() {
        let allowed = Diagnostics.benchVerdict(self.report(lost: 2), maxP99: nil, maxErrors: 2)
        XCTAssertEqual(allowed.status, .success)
        let tooMany = Diagnostics.benchVerdict(self.report(lost: 3), maxP99: nil, maxErrors: 2)
        XCTAssertEqual(tooMany.status, .thresholdBroken)
        XCTAssertEqual(tooMany.lines, ["3 errors, more than --max-errors 2 allows: 3 messages lost"])
        let slow = Diagnostics.benchVerdict(
            self.report(p99: .milliseconds(8)),
            maxP99: .milliseconds(5),
            maxErrors: nil
        )
        XCTAssertEqual(slow.status, .thresholdBroken)
        XCTAssertEqual(slow.lines, ["the 99th percentile round trip, 8.00 ms, is above --max-p99 5.00 ms"])
        let unmeasured = Diagnostics.benchVerdict(self.report(), maxP99: .milliseconds(5), maxErrors: nil)
        XCTAssertEqual(unmeasured.status, .thresholdBroken)
        XCTAssertEqual(ExitStatus.thresholdBroken.rawValue, 11)
    }
}

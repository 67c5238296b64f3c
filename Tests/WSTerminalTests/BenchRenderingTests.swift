import Foundation
import WSEngine
import XCTest

@testable import WSTerminal

final class BenchRenderingTests: XCTestCase {
    private static let roundTrip = LatencySummary(
        count: 1000,
        min: .microseconds(900),
        mean: .milliseconds(2),
        p50: .microseconds(1_500),
        p90: .microseconds(2_500),
        p99: .milliseconds(12),
        p999: .milliseconds(20),
        max: .milliseconds(31),
        bars: [
            .init(upTo: .microseconds(1_024), count: 100), .init(upTo: .microseconds(2_048), count: 800),
            .init(upTo: .microseconds(4_096), count: 90), .init(upTo: .microseconds(32_768), count: 10),
        ]
    )

    private static let report = BenchReport(
        connections: 10,
        opened: 8,
        failures: [.refused: 1, .status(503): 1],
        closeCodes: [1000: 7, 1011: 1],
        connect: LatencySummary(
            count: 8,
            min: .microseconds(100),
            mean: .microseconds(200),
            p50: .microseconds(200),
            p90: .microseconds(300),
            p99: .microseconds(300),
            p999: .microseconds(300),
            max: .microseconds(300)
        ),
        roundTrip: roundTrip,
        sent: 1000,
        sentBytes: 32_000,
        received: 1000,
        receivedBytes: 32_000,
        unmatched: 2,
        lost: 1,
        measured: .seconds(2)
    )

    func testTheTableHasConnectionsPercentilesRatesAndTheDistribution() {
        let table = BenchTable.render(Self.report, title: "wsc bench ws://h/: 10 connections")
        XCTAssertTrue(table.hasPrefix("wsc bench ws://h/: 10 connections\n"))
        XCTAssertTrue(table.contains("8 of 10 opened, 2 failed (1 refused, 1 HTTP 503)"), table)
        XCTAssertTrue(table.contains("7 × 1000, 1 × 1011"), table)
        XCTAssertTrue(table.contains("round trip        1.50 ms    2.50 ms    12.0 ms    20.0 ms    31.0 ms"), table)
        XCTAssertTrue(table.contains("connect"), table)
        XCTAssertFalse(table.contains("TLS "), "no TLS step measured: no row")
        XCTAssertTrue(
            table.contains("received              1000         500        0.02        62.5       0.002"),
            table
        )
        XCTAssertTrue(table.contains("2 unmatched, 1 lost"), table)
    }

    func testTheHistogramScalesItsBarsToTheLargest() {
        let lines = BenchTable.histogram(Self.roundTrip.bars, width: 8)
        XCTAssertEqual(
            lines,
            [
                "     ≤ 1.02 ms █        100",
                "     ≤ 2.05 ms ████████ 800",
                "     ≤ 4.10 ms ▉        90",
                "     ≤ 32.8 ms ▏        10",
            ]
        )
    }

    func testTheJSONDocumentParsesAndCarriesTheFigures() throws {
        let text = BenchJSON.render(Self.report, url: "ws://h/\"q\"")
        XCTAssertTrue(text.hasSuffix("}\n"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(object["url"] as? String, "ws://h/\"q\"")
        let connections = try XCTUnwrap(object["connections"] as? [String: Any])
        XCTAssertEqual(connections["failures"] as? [String: Int], ["refused": 1, "http_503": 1])
        XCTAssertEqual(connections["close_codes"] as? [String: Int], ["1000": 7, "1011": 1])
        let roundTrip = try XCTUnwrap(object["round_trip_ms"] as? [String: Any])
        XCTAssertEqual(roundTrip["p50"] as? Double, 1.5)
        XCTAssertEqual(roundTrip["p99.9"] as? Double, 20)
        XCTAssertEqual((roundTrip["histogram"] as? [Any])?.count, 4)
        XCTAssertTrue(object["tls_ms"] is NSNull)
        let received = try XCTUnwrap(object["received"] as? [String: Any])
        XCTAssertEqual(received["messages_per_second"] as? Double, 500)
        XCTAssertEqual(received["messages_per_second_per_connection"] as? Double, 62.5)
        XCTAssertEqual(object["errors"] as? Int, 4, "2 failed, 1 dropped, 1 lost")
    }

    func testTheStatusLineRedrawsInPlaceWithTheRecentRate() {
        let first = BenchProgress(elapsed: .seconds(1), open: 10, received: 1000, p99: nil)
        let second = BenchProgress(elapsed: .milliseconds(1500), open: 9, received: 2000, p99: .microseconds(2500))
        XCTAssertEqual(BenchStatusLine.render(first, previous: nil), "\r1.0 s  10 connections  0 msg/s  p99 -\u{1B}[K")
        XCTAssertEqual(
            BenchStatusLine.render(second, previous: first),
            "\r1.5 s  9 connections  2000 msg/s  p99 2.50 ms\u{1B}[K"
        )
    }

    func testMillisecondsKeepThreeDigits() {
        XCTAssertEqual(BenchWords.milliseconds(.microseconds(52)), "0.052 ms")
        XCTAssertEqual(BenchWords.milliseconds(.microseconds(20_349)), "20.3 ms")
        XCTAssertEqual(BenchWords.milliseconds(.milliseconds(1234)), "1234 ms")
    }
}

import Foundation
import XCTest

/// `--format jsonl` as a script sees it: each line of stdout is one JSON object that gives back exactly the
/// message the server sent, text or binary.
final class JSONLinesTests: EndToEndTestCase {
    /// Each stdout line parsed as a JSON object.
    private func records(_ stdout: Data) throws -> [[String: String]] {
        try String(decoding: stdout, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast()
            .map { line in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
                return try XCTUnwrap(object as? [String: String], String(line))
            }
    }

    func testTextMessagesComeBackExactlyWhateverTheyContain() throws {
        let server = try self.startServer()
        let lines = ["plain", "", "say \"hi\"\tback\\slash", "✓ é 😀", "\u{1}\u{1B}[31mred", "{\"already\":\"json\"}"]
        let result = try WSCProcess.run(
            ["--format", "jsonl", server.url()],
            input: Data((lines.joined(separator: "\n") + "\n").utf8)
        )
        XCTAssertEqual(result.status, 0, result.stderr)
        let records = try self.records(result.stdout)
        XCTAssertEqual(records.map { $0["data"] }, lines)
        XCTAssertEqual(Set(records.map { $0["type"] }), ["text"])
        XCTAssertEqual(Set(records.map { $0.keys.sorted() }), [["data", "type"]], "no time without --timestamps")
    }

    func testBinaryMessagesAreBase64AndFragmentsAreJoined() throws {
        let server = try self.startServer("fragments")
        let result = try WSCProcess.run(["--format", "jsonl", "-w", "0.5", server.url()])
        XCTAssertEqual(result.status, 0, result.stderr)
        let records = try self.records(result.stdout)
        XCTAssertEqual(records.map { $0["type"] }, ["text", "text", "binary", "text"])
        XCTAssertEqual(records.map { $0["data"] }[0], "fragmented")
        XCTAssertEqual(Data(base64Encoded: try XCTUnwrap(records[2]["data"])), Data((0...255).map { UInt8($0) }))
    }

    func testBinaryInputLinesComeBackByteForByte() throws {
        let server = try self.startServer()
        let result = try WSCProcess.run(
            ["--format", "jsonl", "--binary", server.url()],
            input: Data([0x61, 0xFF, 0x00, 0x0A, 0x0A, 0x80, 0x22, 0x0A])
        )
        XCTAssertEqual(result.status, 0, result.stderr)
        let data = try self.records(result.stdout).map { Data(base64Encoded: $0["data"] ?? "") }
        XCTAssertEqual(data, [Data([0x61, 0xFF, 0x00]), Data(), Data([0x80, 0x22])])
    }

    func testTimestampsAddTheTimeInUTC() throws {
        let server = try self.startServer()
        let before = Date()
        let result = try WSCProcess.run(
            ["--format", "jsonl", "--timestamps", server.url()],
            input: Data("one\n".utf8),
            environment: ["TZ": "Asia/Kolkata"]
        )
        XCTAssertEqual(result.status, 0, result.stderr)
        let record = try XCTUnwrap(try self.records(result.stdout).first)
        XCTAssertEqual(record["data"], "one")
        let time = try XCTUnwrap(record["time"])
        XCTAssertNotNil(time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/), time)
        let parsed = try XCTUnwrap(ISO8601DateFormatter.withMilliseconds.date(from: time), time)
        XCTAssertLessThan(abs(parsed.timeIntervalSince(before)), 60, "\(time) is the time of receipt, in UTC")
    }

    func testListenModeNamesTheClientOfEachMessage() throws {
        let listener = try self.startListener(["--format", "jsonl"])
        let client = try WSCProcess.run([listener.url], input: Data("from a client\n".utf8), inputKind: .pipe)
        XCTAssertEqual(client.status, 0, client.stderr)
        try listener.waitForStatus("client closed the connection: 1000 (normal closure)")
        let server = listener.stop()
        XCTAssertEqual(server.status, 0, server.stderr)
        let record = try XCTUnwrap(try self.records(Data(server.output.utf8)).first, server.output)
        XCTAssertEqual(record["data"], "from a client")
        XCTAssertEqual(record["type"], "text")
        let address = try XCTUnwrap(record["client"])
        XCTAssertNotNil(address.wholeMatch(of: /127\.0\.0\.1:\d+/), address)
        XCTAssertTrue(server.stderr.contains(address), "the status lines name the same client: \(server.stderr)")
    }
}

extension ISO8601DateFormatter {
    /// Parses RFC 3339 times with fractional seconds.
    fileprivate static var withMilliseconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}

import Foundation
import XCTest

/// A hostile server breaks RFC 6455 in one way per test; wsc must close with the right code and exit 6.
final class ProtocolTests: EndToEndTestCase {
    /// Runs wsc against a raw server that sends `frames` (hex) right after the handshake, and returns the
    /// result with the Close line the server received.
    private func run(sending frames: [String], arguments: [String] = []) throws -> (WSCResult, String) {
        let server = try self.startRawServer(frames.flatMap { ["--send", $0] } + ["--answer-close"])
        let result = try WSCProcess.run(["-w", "-1"] + arguments + [server.url()])
        return (result, try server.waitForLine(prefix: "CLOSE"))
    }

    private func assertViolation(
        _ frames: [String],
        arguments: [String] = [],
        closeCode: Int,
        message: String,
        file: StaticString = #filePath,
        line: UInt = #line
    ) throws {
        let (result, close) = try self.run(sending: frames, arguments: arguments)
        XCTAssertEqual(result.status, 6, result.stderr, file: file, line: line)
        XCTAssertTrue(close.hasPrefix("CLOSE \(closeCode)"), close, file: file, line: line)
        self.assertOneErrorLine(result, contains: message, file: file, line: line)
    }

    func testMaskedFrameFromServer() throws {
        try self.assertViolation(["818400000000" + "74657374"], closeCode: 1002, message: "masked frame")
    }

    func testReservedBitsWithoutExtension() throws {
        try self.assertViolation(["c1026869"], closeCode: 1002, message: "reserved bits")
    }

    func testReservedOpcode() throws {
        try self.assertViolation(["830100"], closeCode: 1002, message: "reserved opcode 3")
    }

    func testControlFrameLongerThan125Bytes() throws {
        try self.assertViolation(
            ["897e007e" + String(repeating: "00", count: 126)],
            closeCode: 1002,
            message: "longer than 125"
        )
    }

    func testFragmentedControlFrame() throws {
        try self.assertViolation(["0900"], closeCode: 1002, message: "fragmented control frame")
    }

    func testContinuationWithoutMessage() throws {
        try self.assertViolation(["80026869"], closeCode: 1002, message: "continuation frame with no message started")
    }

    func testNewMessageInsideFragmentedOne() throws {
        try self.assertViolation(["01026869", "81026869"], closeCode: 1002, message: "new message started inside")
    }

    func testInvalidUTF8Text() throws {
        try self.assertViolation(["8102c328"], closeCode: 1007, message: "not valid UTF-8")
    }

    func testInvalidUTF8IsCaughtInTheFirstFragment() throws {
        // The first fragment is already broken (0xFF can never appear); the message never finishes.
        try self.assertViolation(["0102ff61"], closeCode: 1007, message: "not valid UTF-8")
    }

    func testCloseCodeNotAllowedOnTheWire() throws {
        try self.assertViolation(["880203ed"], closeCode: 1002, message: "close code 1005 is not allowed")
    }

    func testCloseReasonNotUTF8() throws {
        try self.assertViolation(["880403e8c328"], closeCode: 1002, message: "close reason is not valid UTF-8")
    }

    func testOneByteClosePayload() throws {
        try self.assertViolation(["880103"], closeCode: 1002, message: "1-byte payload")
    }

    func testMessageOverTheSizeLimit() throws {
        let payload = String(repeating: "61", count: 200)
        try self.assertViolation(
            ["817e00c8" + payload],
            arguments: ["--max-message-size", "100"],
            closeCode: 1009,
            message: "--max-message-size"
        )
    }

    func testFragmentsOverTheSizeLimit() throws {
        let part = String(repeating: "61", count: 60)
        try self.assertViolation(
            ["013c" + part, "803c" + part],
            arguments: ["--max-message-size", "100"],
            closeCode: 1009,
            message: "--max-message-size"
        )
    }

    func testA64BitLengthWithTheTopBitSetIsAProtocolErrorNotASizeError() throws {
        try self.assertViolation(
            ["827f8000000000000000"],
            closeCode: 1002,
            message: "64-bit length has the most significant bit set"
        )
    }

    func testPingBetweenFragmentsIsAnsweredAndMessageJoined() throws {
        let server = try self.startRawServer([
            "--send", "0103616263", "--send", "89026869", "--send", "8003646566", "--answer-close",
        ])
        let result = try WSCProcess.run(["-w", "0.3", server.url()])
        XCTAssertEqual(result.output, "abcdef\n")
        XCTAssertEqual(try server.waitForLine(prefix: "FRAME 10"), "FRAME 10 2 6869", "pong with the ping's payload")
        XCTAssertEqual(result.status, 0, result.stderr)
    }
}

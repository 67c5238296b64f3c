import Foundation
import XCTest

/// RFC 6455 rules around failing and closing: after a protocol error the connection ends in bounded time
/// whatever the peer does, and control frames between fragments are handled at once.
final class StrictnessTests: EndToEndTestCase {
    func testProtocolErrorClosesTheSocketWhenThePeerNeverAnswersTheClose() throws {
        // The raw server reads and reports, but never answers a Close.
        let server = try self.startRawServer(["--send", "830100"])
        let result = try WSCProcess.run(["-w", "-1", "--close-timeout", "30", server.url()], timeout: 20)
        XCTAssertEqual(result.status, 6, result.stderr)
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1002 ")
        try server.waitForLine(prefix: "EOF", timeout: 5)
        self.assertOneErrorLine(result, contains: "wsc closed the connection with 1002 (protocol error)")
    }

    func testProtocolErrorEndsInBoundedTimeWhenThePeerReadsNothing() throws {
        // wsc sends far more than the socket buffers hold while the server reads nothing, so the Close that
        // answers the violation sits behind unsent data; close-timeout still ends the connection.
        let server = try self.startRawServer(["--send-delay", "1", "--send", "830100", "--stall", "60"])
        var input = Data(repeating: 0x61, count: 64 << 20)
        for offset in stride(from: 64 << 10, to: input.count, by: 64 << 10) {
            input[offset] = 0x0A
        }
        // The server stalls for 60 s: only the close timeout can end the run within the 30 s allowed (status -1).
        let result = try WSCProcess.run(
            ["--no-compression", "-w", "-1", "--close-timeout", "1", server.url()],
            input: input,
            timeout: 30
        )
        XCTAssertEqual(result.status, 6, result.stderr)
        self.assertOneErrorLine(result, contains: "reserved opcode 3")
    }

    /// A text frame of 100 bytes whose first three arrive, then a byte that is never UTF-8, and then nothing:
    /// refused with 1007 at once, not after a frame that never completes.
    func testTextThatIsNotUTF8IsRefusedBeforeItsFrameIsComplete() throws {
        let server = try self.startRawServer(["--send", "8164616263", "--later", "ff", "--answer-close"])
        let result = try WSCProcess.run(["-w", "-1", server.url()], timeout: 20)
        XCTAssertEqual(result.status, 6, result.stderr)
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1007 ")
        self.assertOneErrorLine(
            result,
            contains: "text message is not valid UTF-8; wsc closed the connection with 1007"
        )
    }

    func testPingBetweenFragmentsIsAnsweredBeforeTheMessageCompletes() throws {
        // The message never completes: the pong can only come from answering at once.
        let server = try self.startRawServer(["--send", "0103616263", "--send", "89026869", "--answer-close"])
        let result = try WSCProcess.run(["-w", "0.3", server.url()])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.output, "")
        let output = server.output
        let pong = try XCTUnwrap(output.firstIndex(of: "FRAME 10 2 6869"), "\(output)")
        let close = try XCTUnwrap(output.firstIndex { $0.hasPrefix("CLOSE") }, "\(output)")
        XCTAssertLessThan(pong, close)
    }

    func testCloseBetweenFragmentsIsAnsweredAtOnce() throws {
        let server = try self.startRawServer(["--send", "0103616263", "--send", "880203e9"])
        let result = try WSCProcess.run(["-w", "-1", server.url()])
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1001 ")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "wsc: server closed the connection: 1001 (going away)\n")
    }
}

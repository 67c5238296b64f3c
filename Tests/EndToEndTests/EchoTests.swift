import Foundation
import XCTest

/// `wsc --echo` as the client: mirrors messages until the server closes, and answers violations with the
/// right close code, as the Autobahn fuzzing server's `runCase` flow expects.
final class EchoTests: EndToEndTestCase {
    func testEchoMirrorsTextAndBinaryUntilTheServerCloses() throws {
        for arguments in [[], ["--no-compression"]] {
            let server = try self.startServer("probe", ["--compression"])
            let result = try WSCProcess.run(["--echo"] + arguments + [server.url("/runCase?case=1&agent=wsc")])
            XCTAssertEqual(try server.waitForLine(prefix: "PROBE"), "PROBE OK", "\(arguments)")
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.output, "", "echo prints nothing")
            XCTAssertEqual(result.stderr, "wsc: server closed the connection: 1000 (normal closure)\n")
            server.stop()
        }
    }

    func testEchoDoesNotReadStdin() throws {
        let server = try self.startServer("probe")
        let result = try WSCProcess.run(["--echo", server.url()], input: Data("not sent\n".utf8))
        XCTAssertEqual(try server.waitForLine(prefix: "PROBE"), "PROBE OK")
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testEchoAnswersEachViolationWithItsCloseCode() throws {
        // A text message to echo first, then, 0.3 s later, one violation per case.
        let cases: [(String, String)] = [
            ("8102c328", "1007"),  // text that is not UTF-8
            ("c1026869", "1002"),  // RSV1 without permessage-deflate
            ("0102616289026869810161", "1002"),  // a new message inside a fragmented one, after a ping
            ("880203ed", "1002"),  // close code 1005 on the wire
        ]
        for (violation, code) in cases {
            let server = try self.startRawServer(["--send", "81026f6b", "--later", violation, "--answer-close"])
            let result = try WSCProcess.run(["--echo", server.url()])
            XCTAssertEqual(result.status, 6, "\(violation): \(result.stderr)")
            XCTAssertEqual(try server.waitForLine(prefix: "FRAME 1 "), "FRAME 1 2 6f6b", "echoed before the error")
            XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE \(code) ", violation)
            server.stop()
        }
    }

    func testCompressedMessagesAreEchoedCompressed() throws {
        let long = String(repeating: "compressible ", count: 9)
        let server = try self.startRawServer([
            "--header", "Sec-WebSocket-Extensions: permessage-deflate", "--inflate",
            "--send", "c1054a4c4a0600", "--send",
            "81" + String(format: "%02x", long.utf8.count)
                + long.utf8.map { String(format: "%02x", $0) }.joined(),
            "--close-after", "0.5",
        ])
        let result = try WSCProcess.run(["--echo", server.url()])
        XCTAssertEqual(result.status, 0, result.stderr)
        let frames = server.output.filter { $0.hasPrefix("FRAME 1 ") }
        XCTAssertEqual(frames.first, "FRAME 1 3 616263", "short messages go back uncompressed")
        XCTAssertTrue(frames.last?.contains(" RSV1 INFLATED \(long.utf8.count) ") ?? false, "\(frames)")
    }
}

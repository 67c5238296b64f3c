import Foundation
import XCTest

/// permessage-deflate (RFC 7692) end to end: against Python `websockets` with compression on and each
/// parameter it supports, and against the raw server for what wsc sends and for hostile compressed data.
final class CompressionTests: EndToEndTestCase {
    /// 10,000 lines that compress well, so context takeover and window sizes matter.
    private static let repetitiveInput: Data = {
        var input = ""
        for number in 1...10_000 {
            input += "{\"event\":\"tick\",\"sequence\":\(number),\"payload\":\"the same words again and again\"}\n"
        }
        return Data(input.utf8)
    }()

    func testEveryParameterOfPythonWebsocketsRoundTripsTenThousandLines() throws {
        let cases: [([String], String)] = [
            ([], "permessage-deflate (server_max_window_bits=15, client_max_window_bits=15)"),
            (["--server-no-context-takeover"], "(server_no_context_takeover, server_max_window_bits=15,"),
            (["--client-no-context-takeover"], "(client_no_context_takeover, server_max_window_bits=15,"),
            (["--server-max-window-bits", "9"], "server_max_window_bits=9, client_max_window_bits=15)"),
            (["--client-max-window-bits", "8"], "server_max_window_bits=15, client_max_window_bits=8)"),
            (
                [
                    "--server-no-context-takeover", "--client-no-context-takeover", "--server-max-window-bits", "10",
                    "--client-max-window-bits", "11",
                ],
                "(server_no_context_takeover, client_no_context_takeover, server_max_window_bits=10, "
                    + "client_max_window_bits=11)"
            ),
        ]
        for (parameters, agreed) in cases {
            let server = try self.startServer("echo", ["--compression"] + parameters)
            let result = try WSCProcess.run(
                ["-v", server.url()],
                input: Self.repetitiveInput,
                inputKind: .pipe,
                timeout: 120
            )
            XCTAssertEqual(result.status, 0, "\(parameters): \(result.stderr.suffix(300))")
            XCTAssertTrue(result.stdout == Self.repetitiveInput, "\(parameters): echoed output differs")
            let line = result.stderr.split(separator: "\n").first { $0.hasPrefix("* compression: ") } ?? ""
            XCTAssertTrue(line.contains(agreed), "\(parameters): \(line)")
            server.stop()
        }
    }

    func testMultiMebibyteRandomBinaryMessagesRoundTripIntact() throws {
        let server = try self.startServer("echo", ["--compression"])
        var generator = SystemRandomNumberGenerator()
        var input = Data()
        var expected = Data()
        for size in [3 << 20, 5 << 20, 1 << 20] {
            // Random bytes without LF, so each line is one message of exactly this size, and not ending in CR, which
            // would make a CRLF line end with the LF after it.
            var message = Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) | 0x01 })
            message[message.count - 1] = 0x2A
            expected.append(message)
            input.append(message)
            input.append(0x0A)
        }
        let result = try WSCProcess.run(
            ["--binary", "-w", "3", server.url()],
            input: input,
            inputKind: .pipe,
            timeout: 120
        )
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.count, expected.count)
        XCTAssertTrue(result.stdout == expected, "binary messages changed on the way")
    }

    func testNoCompressionOffersNothing() throws {
        let server = try self.startServer("echo", ["--compression"])
        let input = Data("one line\nand another\n".utf8)
        let result = try WSCProcess.run(["-v", "--no-compression", server.url()], input: input)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stderr.contains("Sec-WebSocket-Extensions"), result.stderr)
        XCTAssertFalse(result.stderr.contains("* compression"), result.stderr)
        XCTAssertEqual(result.stdout, input)
    }

    func testDeclinedOfferIsShownAndMessagesGoUncompressed() throws {
        let server = try self.startServer()
        let result = try WSCProcess.run(["-v", server.url()], input: Data("hello\n".utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("> Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"))
        XCTAssertTrue(result.stderr.contains("* compression: none"), result.stderr)
        XCTAssertEqual(result.output, "hello\n")
    }

    func testSentMessagesAreCompressedWithRSV1UnlessTiny() throws {
        let server = try self.startRawServer([
            "--header", "Sec-WebSocket-Extensions: permessage-deflate", "--inflate", "--answer-close",
        ])
        let long = String(repeating: "compressible ", count: 20)
        let result = try WSCProcess.run(["-x", long, "-x", long, "-x", "tiny", "-w", "0", server.url()])
        XCTAssertEqual(result.status, 0, result.stderr)
        let frames = server.output.filter { $0.hasPrefix("FRAME 1 ") }
        XCTAssertEqual(frames.count, 3, "\(server.output)")
        let longHex = Data(long.utf8).prefix(64).map { String(format: "%02x", $0) }.joined()
        for frame in frames.prefix(2) {
            XCTAssertTrue(frame.contains(" RSV1 INFLATED \(long.utf8.count) \(longHex)"), frame)
        }
        XCTAssertLessThan(Int(frames[1].split(separator: " ")[2])!, 10, "the second refers back to the first")
        XCTAssertEqual(frames[2], "FRAME 1 4 74696e79", "tiny messages go uncompressed")
    }

    func testResponseWithParametersNotOfferedFailsTheHandshake() throws {
        let cases = [
            ("permessage-deflate; mystery=1", "unknown parameter 'mystery'"),
            ("permessage-deflate; client_max_window_bits", "'client_max_window_bits' is missing its value"),
            ("permessage-deflate, permessage-deflate", "more than once"),
            ("x-webkit-deflate-frame", "'x-webkit-deflate-frame', which was not offered"),
        ]
        for (header, message) in cases {
            let server = try self.startRawServer(["--header", "Sec-WebSocket-Extensions: \(header)"])
            let result = try WSCProcess.run([server.url()])
            XCTAssertEqual(result.status, 4, "\(header): \(result.stderr)")
            self.assertOneErrorLine(result, contains: message)
            server.stop()
        }
    }

    func testRSV1FromAServerThatDidNotAcceptCompressionIs1002() throws {
        let server = try self.startRawServer(["--send", "c1026869", "--answer-close"])
        let result = try WSCProcess.run(["-w", "-1", server.url()])
        XCTAssertEqual(result.status, 6)
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1002 ")
        self.assertOneErrorLine(result, contains: "reserved bits set but no extension was negotiated")
    }

    func testRSV1OnAContinuationFrameIs1002() throws {
        // A compressed first fragment ("abc" deflated), then a continuation that wrongly carries RSV1.
        let server = try self.startRawServer([
            "--header", "Sec-WebSocket-Extensions: permessage-deflate", "--send", "41054a4c4a0600", "--send", "c000",
            "--answer-close",
        ])
        let result = try WSCProcess.run(["-w", "-1", server.url()])
        XCTAssertEqual(result.status, 6)
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1002 ")
        self.assertOneErrorLine(result, contains: "RSV1 set on a continuation frame")
    }

    func testCompressedFramesFromTheServerAreInflated() throws {
        // "abc" deflated in one frame, then in two fragments with RSV1 on the first only.
        let server = try self.startRawServer([
            "--header", "Sec-WebSocket-Extensions: permessage-deflate", "--send", "c1054a4c4a0600", "--send",
            "41024a4c", "--send", "80034a0600", "--answer-close",
        ])
        let result = try WSCProcess.run(["-w", "0.3", server.url()])
        XCTAssertEqual(result.output, "abc\nabc\n")
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testCorruptCompressedDataIs1007() throws {
        let server = try self.startRawServer([
            "--header", "Sec-WebSocket-Extensions: permessage-deflate", "--send", "c102ffff", "--answer-close",
        ])
        let result = try WSCProcess.run(["-w", "-1", server.url()])
        XCTAssertEqual(result.status, 6)
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1007 ")
        self.assertOneErrorLine(result, contains: "compressed message is corrupt")
    }

    func testSmallBombPastTheLimitIs1009() throws {
        let server = try self.startRawServer([
            "--header", "Sec-WebSocket-Extensions: permessage-deflate", "--bomb", "\(8 << 20)", "--answer-close",
        ])
        let result = try WSCProcess.run(["-w", "-1", "--max-message-size", "1M", server.url()])
        XCTAssertEqual(result.status, 6)
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1009 ")
        self.assertOneErrorLine(result, contains: "inflates to more than 1048576 bytes (--max-message-size)")
        self.assertOneErrorLine(result, contains: "1009 (message too big)")
    }

    func testLargeBombDoesNotGrowMemory() throws {
        // 256 MiB of zeros in about 256 KiB: without the limit inflating would take 256 MiB.
        let server = try self.startRawServer([
            "--header", "Sec-WebSocket-Extensions: permessage-deflate", "--bomb", "\(256 << 20)", "--answer-close",
        ])
        let (status, maxRSS) = try WSCProcess.runMeasuringMemory(["-w", "-1", "--max-message-size", "1M", server.url()])
        XCTAssertEqual(status, 6)
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE", timeout: 20), "CLOSE 1009 ")
        XCTAssertLessThan(maxRSS, 64 << 20, "wsc's peak memory follows the limit, not the bomb")
    }

    /// Ten messages of 63 MiB that arrive compressed to 63 KiB each, all at once: what waits for stdout is
    /// bounded in bytes, so wsc's peak stays within twice the 64 MiB limit (ten deep, it was 540 MB).
    func testCompressedMessagesNearTheLimitDoNotPileUp() throws {
        let server = try self.startRawServer([
            "--header", "Sec-WebSocket-Extensions: permessage-deflate", "--bomb", "\(63 << 20)", "--bomb-count", "10",
            "--answer-close",
        ])
        let (status, maxRSS) = try WSCProcess.runMeasuringMemory(["-w", "1", server.url()])
        XCTAssertEqual(status, 0)
        XCTAssertLessThan(maxRSS, 128 << 20)
    }
}

import NIOCore
import WSDeflate
import XCTest

/// Messages survive compression and decompression under every negotiable setting, and the compressor keeps to
/// the window it agreed to.
final class RoundTripTests: XCTestCase {
    private static let sizes = [0, 1, 125, 64 * 1024, 4 * 1024 * 1024]
    private static let random = TestData.random(count: 4 * 1024 * 1024)
    private static let repetitive = TestData.repetitive(count: 4 * 1024 * 1024)

    /// Every message of every size, random then repetitive, for both context takeover settings and window sizes
    /// 8 to 15; each message is also sent a second time, which context takeover should make nearly free.
    func testEveryTakeoverAndWindowSetting() throws {
        for noContextTakeover in [false, true] {
            for windowBits in PerMessageDeflateOffer.windowBitsRange {
                let parameters = PerMessageDeflateParameters(
                    clientNoContextTakeover: noContextTakeover,
                    clientMaxWindowBits: windowBits
                )
                let compressor = try PerMessageDeflateCompressor(parameters: parameters, role: .client)
                let decompressor = try PerMessageDeflateDecompressor(parameters: parameters, role: .server)
                let label = "noContextTakeover \(noContextTakeover), window bits \(windowBits)"
                for source in [Self.random, Self.repetitive] {
                    for size in Self.sizes {
                        let message = source.getSlice(at: 0, length: size)!
                        for attempt in 0..<2 {
                            let payload = try compressor.compress(message)
                            let output = try decompressor.decompress(payload, limit: size)
                            XCTAssertEqual(output, message, "\(label), size \(size), attempt \(attempt)")
                            // zlib's longest reach is the window less 262 bytes, so the 1000-byte period needs 11.
                            if attempt == 1 && size == 64 * 1024 && source == Self.repetitive && !noContextTakeover
                                && windowBits >= 11
                            {
                                XCTAssertLessThan(payload.readableBytes, 1024, "takeover should make a repeat cheap")
                            }
                        }
                    }
                }
            }
        }
    }

    /// A peer inflating with exactly the agreed window reads every message, for every window size; the data
    /// repeats with periods of 200 to 1000 bytes, so wider windows would be tempted to refer back too far. For
    /// 8 bits this shows that compressing with 9, as zlib forces us to, stays within 256 bytes.
    func testCompressorKeepsToTheAgreedWindow() throws {
        let messages = [
            TestData.repetitive(count: 64 * 1024), TestData.random(count: 125), TestData.repetitive(count: 5000),
            TestData.repetitive(count: 4000, period: 300), TestData.repetitive(count: 4000, period: 200),
            TestData.text(String(repeating: "permessage-deflate ", count: 40)),
        ]
        for noContextTakeover in [false, true] {
            for windowBits in PerMessageDeflateOffer.windowBitsRange {
                let parameters = PerMessageDeflateParameters(
                    serverNoContextTakeover: noContextTakeover,
                    serverMaxWindowBits: windowBits
                )
                let compressor = try PerMessageDeflateCompressor(parameters: parameters, role: .server)
                let checker = StrictInflater(windowBits: windowBits, strict: true)
                for message in messages + messages {
                    let checked = try checker.inflate(try compressor.compress(message))
                    XCTAssertEqual(
                        checked.output,
                        message,
                        "noContextTakeover \(noContextTakeover), bits \(windowBits)"
                    )
                }
            }
        }
    }

    /// The strict checker has teeth: a 15-bit window reaches back 1000 bytes, too far for 9 bits, and a 10-bit
    /// window reaches back 300 bytes, too far for 8.
    func testStrictCheckerRejectsAWiderWindow() throws {
        let cases = [(sent: 15, checked: 9, period: 1000), (sent: 10, checked: 8, period: 300)]
        for (sent, checked, period) in cases {
            let compressor = try PerMessageDeflateCompressor(
                parameters: PerMessageDeflateParameters(clientMaxWindowBits: sent),
                role: .client
            )
            let payload = try compressor.compress(TestData.repetitive(count: 8 * period, period: period))
            XCTAssertThrowsError(try StrictInflater(windowBits: checked, strict: true).inflate(payload)) { error in
                XCTAssertEqual(error as? StrictInflater.Failure, .init(reason: "invalid distance too far back"))
            }
        }
    }

    /// The sender resets and the receiver keeps its window: allowed, the receiver's history is simply unused
    /// (RFC 7692 section 7.1.1.1).
    func testSenderResettingForAReceiverExpectingTakeoverWorks() throws {
        let compressor = try PerMessageDeflateCompressor(
            parameters: PerMessageDeflateParameters(serverNoContextTakeover: true),
            role: .server
        )
        let decompressor = try PerMessageDeflateDecompressor(parameters: PerMessageDeflateParameters(), role: .client)
        let message = TestData.repetitive(count: 5000)
        for _ in 0..<3 {
            XCTAssertEqual(try decompressor.decompress(try compressor.compress(message), limit: 5000), message)
        }
    }

    /// The sender keeps its window but the receiver was told it would not: the second message refers to bytes
    /// the receiver threw away, and decompression fails rather than producing wrong data.
    func testSenderKeepingContextForAReceiverThatResetsFails() throws {
        let compressor = try PerMessageDeflateCompressor(parameters: PerMessageDeflateParameters(), role: .server)
        let decompressor = try PerMessageDeflateDecompressor(
            parameters: PerMessageDeflateParameters(serverNoContextTakeover: true),
            role: .client
        )
        let message = TestData.text("Hello")
        XCTAssertEqual(try decompressor.decompress(try compressor.compress(message), limit: 5), message)
        let second = try compressor.compress(message)
        XCTAssertThrowsError(try decompressor.decompress(second, limit: 5)) { error in
            XCTAssertEqual(error as? PerMessageDeflateError, .corruptData("invalid distance too far back"))
        }
    }

    /// Roles pick the right half of the parameters: a client sends under client_*, a server under server_*.
    func testRolesPickTheirOwnParameters() throws {
        let parameters = PerMessageDeflateParameters(clientNoContextTakeover: true, clientMaxWindowBits: 9)
        let hello = TestData.text("Hello")
        let server = try PerMessageDeflateCompressor(parameters: parameters, role: .server)
        _ = try server.compress(hello)
        XCTAssertEqual(TestData.hex(try server.compress(hello)), "f2 00 11 00 00", "server keeps its context")
        let client = try PerMessageDeflateCompressor(parameters: parameters, role: .client)
        _ = try client.compress(hello)
        XCTAssertEqual(TestData.hex(try client.compress(hello)), "f2 48 cd c9 c9 07 00", "client resets")
    }

    func testCompressionLevelZeroStores() throws {
        let compressor = try PerMessageDeflateCompressor(
            parameters: PerMessageDeflateParameters(),
            role: .client,
            compressionLevel: 0
        )
        XCTAssertEqual(
            TestData.hex(try compressor.compress(TestData.text("Hello"))),
            "00 05 00 fa ff 48 65 6c 6c 6f 00"
        )
    }
}

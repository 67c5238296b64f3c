import NIOCore
import WSTLS
import XCTest

@testable import WSEngine

final class BenchMessageTests: XCTestCase {
    func testAnEchoPayloadKeepsItsSizeAndCarriesItsNumbers() throws {
        var payload = ByteBuffer()
        BenchPayload.write(sequence: 0xabc, due: 123_456_789, size: 40, to: &payload)
        XCTAssertEqual(payload.readableBytes, 40)
        let text = try XCTUnwrap(String(validating: Array(payload.readableBytesView), as: UTF8.self))
        XCTAssertEqual(text, "0000000000000abc00000000075bcd15xxxxxxxx")
        let read = try XCTUnwrap(BenchPayload.read(payload))
        XCTAssertEqual(read.sequence, 0xabc)
        XCTAssertEqual(read.due, 123_456_789)
    }

    func testTheSmallestPayloadIsTwoNumbers() throws {
        var payloads = ByteBuffer()
        BenchPayload.write(sequence: .max, due: 0, size: BenchPayload.minimumSize, to: &payloads)
        BenchPayload.write(sequence: 7, due: 9, size: BenchPayload.minimumSize, to: &payloads)
        XCTAssertEqual(payloads.readableBytes, 64, "a batch's payloads one after the other")
        XCTAssertEqual(BenchPayload.read(payloads.readSlice(length: 32)!)?.sequence, .max)
        XCTAssertEqual(BenchPayload.read(payloads)?.due, 9)
    }

    func testEightDigitsAreWrittenAsStringFormatsThem() {
        var generator = SystemRandomNumberGenerator()
        let values: [UInt32] =
            [0, 1, 9, 10, 15, 16, 0xabcd_ef01, 0x1234_5678, .max] + (0..<1000).map { _ in generator.next() }
        for value in values {
            let expected = String(value, radix: 16)
            let padded = String(repeating: "0", count: 8 - expected.count) + expected
            let word = BenchPayload.hexDigits(value)
            let written = withUnsafeBytes(of: word) { String(decoding: $0, as: UTF8.self) }
            XCTAssertEqual(written, padded)
            XCTAssertEqual(BenchPayload.hexValue(UInt64(littleEndian: word)), value)
        }
    }

    func testEveryByteThatIsNotALowercaseHexDigitIsRefusedInEveryPlace() {
        let digits = Set("0123456789abcdef".utf8)
        for place in 0..<8 {
            for byte in UInt8.min...UInt8.max {
                var bytes = Array("0123abcd".utf8)
                bytes[place] = byte
                let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                let value = BenchPayload.hexValue(UInt64(littleEndian: word))
                if digits.contains(byte) {
                    let text = String(decoding: bytes, as: UTF8.self)
                    XCTAssertEqual(value, UInt32(text, radix: 16), "byte \(byte) at \(place)")
                } else {
                    XCTAssertNil(value, "byte \(byte) at \(place)")
                }
            }
        }
    }

    func testOtherPayloadsCarryNoNumbers() {
        XCTAssertNil(BenchPayload.read(ByteBuffer(string: "hello")))
        XCTAssertNil(BenchPayload.read(ByteBuffer(string: String(repeating: "z", count: 32))))
    }

    func testAJSONFieldCarriesTheSequenceNumber() throws {
        let template = #"{"jsonrpc":"2.0", "id" : 7, "method":"ping"}"#
        let field = try XCTUnwrap(JSONField(name: "id", template: Array(template.utf8)))
        let message = field.message(sequence: 42, allocator: ByteBufferAllocator())
        XCTAssertEqual(String(buffer: message), #"{"jsonrpc":"2.0", "id" : 42, "method":"ping"}"#)
        XCTAssertEqual(field.sequence(in: message), 42)
    }

    func testAStringFieldStaysAString() throws {
        let field = try XCTUnwrap(JSONField(name: "ref", template: Array(#"{"ref":"a"}"#.utf8)))
        let message = field.message(sequence: 5, allocator: ByteBufferAllocator())
        XCTAssertEqual(String(buffer: message), #"{"ref":"5"}"#)
        XCTAssertEqual(field.sequence(in: message), 5)
    }

    func testOnlyTheTopLevelOfAReplyCounts() throws {
        let field = try XCTUnwrap(JSONField(name: "id", template: Array(#"{"id":0}"#.utf8)))
        let reply = #"{"result":{"id":99,"list":[1,{"id":3}],"s":"\"id\":4"},"id":12}"#
        XCTAssertEqual(field.sequence(in: ByteBuffer(string: reply)), 12)
        XCTAssertNil(field.sequence(in: ByteBuffer(string: #"{"result":{"id":99}}"#)))
        XCTAssertNil(field.sequence(in: ByteBuffer(string: #"{"id":null}"#)))
        XCTAssertNil(field.sequence(in: ByteBuffer(string: "not json")))
    }

    func testATemplateWithoutTheFieldIsRefused() {
        XCTAssertNil(JSONField(name: "id", template: Array(#"{"params":{"id":1}}"#.utf8)))
        XCTAssertNil(JSONField(name: "id", template: Array("[1,2]".utf8)))
        XCTAssertNil(JSONField(name: "id", template: Array(#"{"id":"#.utf8)))
    }

    func testFailuresAreCountedByCause() {
        XCTAssertEqual(BenchFailure(.connectionFailed("refused", socketFailure: .refused)), .refused)
        XCTAssertEqual(BenchFailure(.connectionFailed("no name", socketFailure: .nameNotResolved)), .nameResolution)
        XCTAssertEqual(BenchFailure(.connectionFailed("slow", limit: .connectTimeout)), .timeout)
        XCTAssertEqual(BenchFailure(.handshakeRejected("odd")), .other)
        XCTAssertEqual(BenchFailure(.tls(.closedAfterCertificateRequest)), .tls)
    }
}

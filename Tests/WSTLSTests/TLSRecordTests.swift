import NIOCore
import NIOEmbedded
import WSTLS
import XCTest

/// How ciphertext meets the channel's reads and writes: records cut anywhere by the network, several records in
/// one read, and a large write as one buffer of full-size records.
final class TLSRecordTests: XCTestCase {
    private func handshakenPair() throws -> BackToBack {
        let pair = try BackToBack(configuration: TLSConfiguration(caFile: try TestCertificates.shared().caFile))
        try pair.handshake()
        return pair
    }

    /// `count` bytes that differ from their neighbours, so that a dropped or repeated piece shows.
    private func pattern(_ count: Int) -> ByteBuffer {
        ByteBuffer(bytes: (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) })
    }

    func testSeveralRecordsInOneReadAreAllDelivered() throws {
        let pair = try self.handshakenPair()
        defer { pair.finish() }
        for word in ["one", "two", "three"] {
            pair.testServer.send(ByteBuffer(string: word))
        }
        var records = ByteBuffer()
        while var bytes = try pair.server.readOutbound(as: ByteBuffer.self) {
            records.writeBuffer(&bytes)
        }
        try pair.client.writeInbound(records)

        XCTAssertEqual(pair.recorder.received, ByteBuffer(string: "onetwothree"))
        XCTAssertEqual(pair.recorder.events, [.handshakeCompleted, .data])
        XCTAssertNil(pair.recorder.tlsError)
    }

    func testRecordsCutAtEveryPossiblePlaceAreReassembled() throws {
        let pair = try self.handshakenPair()
        defer { pair.finish() }
        let payload = self.pattern(40_000)
        pair.testServer.send(payload)
        var records = ByteBuffer()
        while var bytes = try pair.server.readOutbound(as: ByteBuffer.self) {
            records.writeBuffer(&bytes)
        }
        // Single bytes first, so that headers arrive in pieces too; then pieces that straddle records.
        var pieceSize = 1
        while records.readableBytes > 0 {
            try pair.client.writeInbound(records.readSlice(length: min(pieceSize, records.readableBytes))!)
            pieceSize = pieceSize < 64 ? pieceSize + 1 : 7_001
        }

        XCTAssertEqual(pair.recorder.received, payload)
        XCTAssertNil(pair.recorder.tlsError)
    }

    func testLargeWriteIsOneBufferOfFullSizeRecords() throws {
        let pair = try self.handshakenPair()
        defer { pair.finish() }
        let payload = self.pattern(1 << 20)
        let written = pair.client.writeAndFlush(payload)
        var ciphertext = try XCTUnwrap(pair.client.readOutbound(as: ByteBuffer.self))
        XCTAssertNil(try pair.client.readOutbound(as: ByteBuffer.self), "one flush, one write")
        try pair.server.writeInbound(ciphertext)

        // TLS 1.3 records (RFC 8446 section 5.2): type 23, version 0x0303, length; at most 2^14 bytes of
        // plaintext each, plus the content type byte and the AEAD tag.
        var recordCount = 0
        while ciphertext.readableBytes > 0 {
            let type = try XCTUnwrap(ciphertext.readInteger(as: UInt8.self))
            let version = try XCTUnwrap(ciphertext.readInteger(as: UInt16.self))
            let length = Int(try XCTUnwrap(ciphertext.readInteger(as: UInt16.self)))
            XCTAssertEqual(type, 23)
            XCTAssertEqual(version, 0x0303)
            XCTAssertLessThanOrEqual(length, (1 << 14) + 256)
            XCTAssertNotNil(ciphertext.readSlice(length: length), "record \(recordCount) is cut short")
            recordCount += 1
        }
        XCTAssertEqual(recordCount, (1 << 20) >> 14)
        XCTAssertNoThrow(try written.wait())
        XCTAssertEqual(pair.testServer.received, payload)
    }
}

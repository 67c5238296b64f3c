import NIOCore
import NIOEmbedded
import WSTLS
import XCTest

/// Application data around the handshake: held back until it completes, never leaked when it fails, large
/// payloads intact, and the two ways a TLS stream ends.
final class TLSDataTests: XCTestCase {
    private func trustingTestCA() throws -> TLSConfiguration {
        TLSConfiguration(caFile: try TestCertificates.shared().caFile)
    }

    /// A payload that cannot hide inside a ClientHello and is easy to spot in plaintext.
    private let secret = ByteBuffer(string: String(repeating: "GET /secret HTTP/1.1\r\n", count: 200))

    func testWritesBeforeTheHandshakeWaitUntilItCompletes() throws {
        let pair = try BackToBack(configuration: try self.trustingTestCA())
        defer { pair.finish() }
        try pair.connect()
        let written = pair.client.writeAndFlush(self.secret)

        // Only the ClientHello is out: it is shorter than the payload and holds none of it.
        let helloBytes = try pair.clientToServer()
        XCTAssertGreaterThan(helloBytes, 0)
        XCTAssertLessThan(helloBytes, self.secret.readableBytes)
        XCTAssertFalse(pair.clientWire.readableBytesView.containsSubsequence(Array("GET /secret".utf8)))
        XCTAssertTrue(pair.testServer.received.readableBytes == 0)

        try pair.shuttleUntilQuiet()
        XCTAssertNoThrow(try written.wait())
        XCTAssertEqual(pair.testServer.received, self.secret)
        XCTAssertEqual(pair.recorder.events, [.handshakeCompleted])
        XCTAssertFalse(pair.clientWire.readableBytesView.containsSubsequence(Array("GET /secret".utf8)))
    }

    func testWritesBeforeAFailedHandshakeAreNeverSent() throws {
        let pair = try BackToBack(configuration: TLSConfiguration())
        defer { pair.finish() }
        try pair.connect()
        let written = pair.client.writeAndFlush(self.secret)
        try pair.shuttleUntilQuiet()

        XCTAssertEqual(pair.recorder.tlsError?.kind, .untrustedCertificate)
        XCTAssertThrowsError(try written.wait()) { error in
            XCTAssertEqual((error as? TLSError)?.kind, .untrustedCertificate)
        }
        XCTAssertEqual(pair.testServer.received.readableBytes, 0)
        // ClientHello and alert only: far less than the payload, which would have had to go out whole.
        XCTAssertLessThan(pair.clientWire.readableBytes, self.secret.readableBytes)
        XCTAssertFalse(pair.clientWire.readableBytesView.containsSubsequence(Array("GET /secret".utf8)))
    }

    func testUnflushedWritesWaitForTheirFlushAfterTheHandshake() throws {
        let pair = try BackToBack(configuration: try self.trustingTestCA())
        defer { pair.finish() }
        try pair.handshake()
        pair.client.write(ByteBuffer(string: "one"), promise: nil)
        XCTAssertEqual(try pair.clientToServer(), 0)

        pair.client.write(ByteBuffer(string: "two"), promise: nil)
        pair.client.flush()
        XCTAssertNotNil(try pair.client.readOutbound(as: ByteBuffer.self), "one flush, one write")
        XCTAssertNil(try pair.client.readOutbound(as: ByteBuffer.self))
    }

    func testSixteenMebibytesRoundTripIntact() throws {
        var options = TLSTestServer.Options()
        options.echo = true
        let pair = try BackToBack(configuration: try self.trustingTestCA(), server: options)
        defer { pair.finish() }
        try pair.handshake()

        var block = ByteBuffer()
        for index in 0..<65_536 {
            block.writeInteger(UInt8(truncatingIfNeeded: index &* 7 &+ index / 251))
        }
        var payload = ByteBuffer()
        payload.reserveCapacity(16 << 20)
        for _ in 0..<256 {
            payload.writeImmutableBuffer(block)
        }
        let written = pair.client.writeAndFlush(payload)
        let ciphertext = try XCTUnwrap(pair.client.readOutbound(as: ByteBuffer.self))
        XCTAssertGreaterThan(ciphertext.readableBytes, payload.readableBytes)
        XCTAssertNil(try pair.client.readOutbound(as: ByteBuffer.self), "one flush, one write")
        try pair.server.writeInbound(ciphertext)
        try pair.shuttleUntilQuiet()

        XCTAssertNoThrow(try written.wait())
        XCTAssertNil(pair.recorder.tlsError)
        XCTAssertEqual(pair.recorder.received.readableBytes, payload.readableBytes)
        XCTAssertTrue(pair.recorder.received == payload, "the echoed bytes differ from the sent ones")
    }

    func testClosingSendsCloseNotifyThenCloses() throws {
        let pair = try BackToBack(configuration: try self.trustingTestCA())
        defer { pair.finish() }
        try pair.handshake()
        let closed = pair.client.close()
        try pair.clientToServer()

        XCTAssertNoThrow(try closed.wait())
        XCTAssertTrue(pair.testServer.receivedCloseNotify)
        XCTAssertFalse(pair.client.isActive)
        XCTAssertNil(pair.recorder.tlsError)
        XCTAssertThrowsError(try pair.client.writeAndFlush(ByteBuffer(string: "late")).wait())
    }

    func testPeersCloseNotifyEndsTheStreamAfterItsData() throws {
        let pair = try BackToBack(configuration: try self.trustingTestCA())
        defer { pair.finish() }
        try pair.handshake()
        pair.testServer.send(ByteBuffer(string: "goodbye"))
        pair.testServer.sendCloseNotify()
        try pair.serverToClient()

        XCTAssertEqual(pair.recorder.received, ByteBuffer(string: "goodbye"))
        XCTAssertEqual(pair.recorder.events, [.handshakeCompleted, .data, .inactive])
        XCTAssertNil(pair.recorder.tlsError)
        try pair.clientToServer()
        XCTAssertTrue(pair.testServer.receivedCloseNotify, "the client answers close_notify with its own")
    }

    func testEndOfStreamWithoutCloseNotifyIsNotAnError() throws {
        let pair = try BackToBack(configuration: try self.trustingTestCA())
        defer { pair.finish() }
        try pair.handshake()
        pair.testServer.send(ByteBuffer(string: "partial"))
        try pair.serverToClient()
        pair.client.pipeline.fireChannelInactive()

        XCTAssertEqual(pair.recorder.events, [.handshakeCompleted, .data, .inactive])
        XCTAssertNil(pair.recorder.tlsError)
    }

    func testCorruptRecordAfterTheHandshakeFailsTheConnection() throws {
        let pair = try BackToBack(configuration: try self.trustingTestCA())
        defer { pair.finish() }
        try pair.handshake()
        pair.testServer.send(ByteBuffer(string: "tampered"))
        var record = try XCTUnwrap(pair.server.readOutbound(as: ByteBuffer.self))
        let last = record.writerIndex - 1
        record.setInteger(record.getInteger(at: last, as: UInt8.self)! ^ 0xFF, at: last)
        try pair.client.writeInbound(record)

        XCTAssertEqual(pair.recorder.tlsError?.kind, .connectionFailed)
        XCTAssertEqual(pair.recorder.received.readableBytes, 0)
        XCTAssertFalse(pair.client.isActive)
    }
}

extension ByteBufferView {
    fileprivate func containsSubsequence(_ needle: [UInt8]) -> Bool {
        let haystack = Array(self)
        guard needle.count <= haystack.count else {
            return false
        }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}

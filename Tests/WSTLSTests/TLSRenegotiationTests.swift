import NIOCore
import NIOEmbedded
import WSTLS
import XCTest

/// Handshakes after the first: a TLS 1.2 server's renegotiation and a TLS 1.3 key update, with the client
/// writing while they run. Nothing written may be lost or make the connection fail.
final class TLSRenegotiationTests: XCTestCase {
    private func pair(tls12: Bool) throws -> BackToBack {
        var options = TLSTestServer.Options()
        options.maximumVersionTLS12 = tls12
        return try BackToBack(
            configuration: TLSConfiguration(caFile: try TestCertificates.shared().caFile),
            server: options
        )
    }

    func testWritesDuringARenegotiationWaitForItAndArriveInOrder() throws {
        let pair = try self.pair(tls12: true)
        defer { pair.finish() }
        try pair.handshake()
        XCTAssertTrue(pair.testServer.negotiatedTLS12)
        try pair.client.writeAndFlush(ByteBuffer(string: "before;")).wait()
        try pair.clientToServer()

        pair.testServer.requestRenegotiation()
        // The client reads the HelloRequest and answers with its ClientHello: OpenSSL now encrypts nothing
        // until the server's reply has been read.
        try pair.serverToClient()
        let first = pair.client.writeAndFlush(ByteBuffer(string: "during;"))
        let second = pair.client.writeAndFlush(ByteBuffer(string: "again;"))
        XCTAssertTrue(pair.client.isActive)
        XCTAssertNil(pair.recorder.tlsError)

        try pair.shuttleUntilQuiet()
        XCTAssertNoThrow(try first.wait())
        XCTAssertNoThrow(try second.wait())
        XCTAssertFalse(pair.testServer.renegotiationPending, "the renegotiation completed")
        try pair.client.writeAndFlush(ByteBuffer(string: "after")).wait()
        try pair.shuttleUntilQuiet()

        XCTAssertNil(pair.recorder.tlsError)
        XCTAssertNil(pair.testServer.failure)
        XCTAssertEqual(pair.testServer.received, ByteBuffer(string: "before;during;again;after"))
        XCTAssertEqual(pair.recorder.events, [.handshakeCompleted])
    }

    func testServerDataDuringARenegotiationStillArrives() throws {
        let pair = try self.pair(tls12: true)
        defer { pair.finish() }
        try pair.handshake()

        pair.testServer.requestRenegotiation()
        pair.testServer.send(ByteBuffer(string: "ping"))
        try pair.serverToClient()
        let answer = pair.client.writeAndFlush(ByteBuffer(string: "pong"))
        try pair.shuttleUntilQuiet()

        XCTAssertNoThrow(try answer.wait())
        XCTAssertEqual(pair.recorder.received, ByteBuffer(string: "ping"))
        XCTAssertEqual(pair.testServer.received, ByteBuffer(string: "pong"))
        XCTAssertFalse(pair.testServer.renegotiationPending)
        XCTAssertNil(pair.recorder.tlsError)
    }

    func testClosingDuringARenegotiationFailsTheWaitingWritesOnly() throws {
        let pair = try self.pair(tls12: true)
        defer { pair.finish() }
        try pair.handshake()
        pair.testServer.requestRenegotiation()
        try pair.serverToClient()
        let waiting = pair.client.writeAndFlush(ByteBuffer(string: "late"))

        XCTAssertNoThrow(try pair.client.close().wait())
        XCTAssertThrowsError(try waiting.wait())
        XCTAssertNil(pair.recorder.tlsError)
        XCTAssertFalse(pair.client.isActive)
    }

    func testWritesAfterAKeyUpdateAreEncryptedWithTheNewKeys() throws {
        let pair = try self.pair(tls12: false)
        defer { pair.finish() }
        try pair.handshake()
        XCTAssertFalse(pair.testServer.negotiatedTLS12)

        pair.testServer.requestKeyUpdate()
        pair.testServer.send(ByteBuffer(string: "updated"))
        try pair.serverToClient()
        let answer = pair.client.writeAndFlush(ByteBuffer(string: "still here"))
        try pair.shuttleUntilQuiet()

        XCTAssertNoThrow(try answer.wait())
        XCTAssertEqual(pair.recorder.received, ByteBuffer(string: "updated"))
        XCTAssertEqual(pair.testServer.received, ByteBuffer(string: "still here"))
        XCTAssertNil(pair.recorder.tlsError)
        XCTAssertNil(pair.testServer.failure)
    }
}

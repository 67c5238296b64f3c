import NIOCore
import WSTLS
import XCTest

/// Mutual TLS: a server that requires a client certificate, with and without `--cert/--key`.
final class TLSClientCertificateTests: XCTestCase {
    private func requiringServer(tls12: Bool) -> TLSTestServer.Options {
        var options = TLSTestServer.Options()
        options.requireClientCertificate = true
        options.maximumVersionTLS12 = tls12
        return options
    }

    func testTLS13ServerRequiringACertificateFailsWithoutOne() throws {
        let certificates = try TestCertificates.shared()
        let pair = try BackToBack(
            configuration: TLSConfiguration(caFile: certificates.caFile),
            server: self.requiringServer(tls12: false)
        )
        defer { pair.finish() }
        try pair.handshake()

        // In TLS 1.3 the client finishes first; the refusal arrives as the certificate_required alert after it.
        let error = try XCTUnwrap(pair.recorder.tlsError)
        XCTAssertEqual(error.kind, .clientCertificateRequired)
        XCTAssertEqual(error.reason, .clientCertificateRequired)
        XCTAssertFalse(pair.client.isActive)
    }

    func testTLS12ServerRequiringACertificateFailsWithoutOne() throws {
        let certificates = try TestCertificates.shared()
        let pair = try BackToBack(
            configuration: TLSConfiguration(caFile: certificates.caFile),
            server: self.requiringServer(tls12: true)
        )
        defer { pair.finish() }
        try pair.handshake()

        XCTAssertTrue(pair.testServer.negotiatedTLS12)
        XCTAssertEqual(pair.recorder.tlsError?.kind, .clientCertificateRequired)
        XCTAssertEqual(pair.recorder.events, [.error, .inactive])
    }

    func testTLS13SessionSaysThatACertificateWasAskedForAndNotSent() throws {
        let certificates = try TestCertificates.shared()
        let pair = try BackToBack(
            configuration: TLSConfiguration(caFile: certificates.caFile),
            server: self.requiringServer(tls12: false)
        )
        defer { pair.finish() }
        try pair.connect()
        try pair.clientToServer()
        try pair.serverToClient()

        // The client is done before the server judges it: the session is all a layer above has to go on when
        // the server then hangs up without its alert.
        XCTAssertEqual(pair.recorder.events, [.handshakeCompleted])
        XCTAssertEqual(pair.recorder.session?.clientCertificateRequested, true)
    }

    func testTLS12ServerThatHangsUpAfterAskingForACertificateIsNotSaidToRequireOne() throws {
        let certificates = try TestCertificates.shared()
        let pair = try BackToBack(
            configuration: TLSConfiguration(caFile: certificates.caFile),
            server: self.requiringServer(tls12: true)
        )
        defer { pair.finish() }
        try pair.connect()
        try pair.clientToServer()
        try pair.serverToClient()
        try pair.clientToServer()
        // No alert, as from a server that hangs up for its own reasons (or loses its alert, as Python's asyncio
        // does): the request is mentioned, but nothing says the certificate was required.
        _ = try pair.server.readOutbound(as: ByteBuffer.self)
        pair.client.pipeline.fireChannelInactive()

        let error = try XCTUnwrap(pair.recorder.tlsError)
        XCTAssertEqual(error, .closedAfterCertificateRequest)
        XCTAssertEqual(error.kind, .handshakeFailed)
        XCTAssertTrue(error.description.contains("closed the connection during the handshake"), error.description)
        XCTAssertFalse(error.description.contains("requires a client certificate"), error.description)
        XCTAssertEqual(pair.recorder.events, [.error, .inactive])
    }

    func testSessionWithACertificateSentSaysNothingWasMissing() throws {
        let certificates = try TestCertificates.shared()
        let configuration = TLSConfiguration(
            caFile: certificates.caFile,
            certificateFile: certificates.certificate("client"),
            privateKeyFile: certificates.key("client")
        )
        let pair = try BackToBack(configuration: configuration, server: self.requiringServer(tls12: false))
        defer { pair.finish() }
        try pair.handshake()

        XCTAssertEqual(pair.recorder.session?.clientCertificateRequested, false)
        XCTAssertNil(pair.recorder.tlsError)
    }

    func testClientCertificateIsSentWhenConfigured() throws {
        for tls12 in [false, true] {
            let certificates = try TestCertificates.shared()
            let configuration = TLSConfiguration(
                caFile: certificates.caFile,
                certificateFile: certificates.certificate("client"),
                privateKeyFile: certificates.key("client")
            )
            let pair = try BackToBack(configuration: configuration, server: self.requiringServer(tls12: tls12))
            defer { pair.finish() }
            try pair.handshake()
            try pair.client.writeAndFlush(ByteBuffer(string: "hello")).wait()
            try pair.shuttleUntilQuiet()

            XCTAssertNil(pair.recorder.tlsError, "TLS 1.2 only: \(tls12)")
            XCTAssertNil(pair.testServer.failure)
            XCTAssertEqual(pair.testServer.clientCertificateSubject, "/CN=wsc test client")
            XCTAssertEqual(pair.testServer.received, ByteBuffer(string: "hello"))
        }
    }
}

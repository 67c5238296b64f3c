import Foundation
import NIOCore
import NIOEmbedded
import WSTLS
import XCTest

/// The handshake, back to back with an OpenSSL server: what is trusted, which names match, what is reported.
final class TLSHandshakeTests: XCTestCase {
    private func trustingTestCA(serverName: String? = nil) throws -> TLSConfiguration {
        TLSConfiguration(caFile: try TestCertificates.shared().caFile, serverName: serverName)
    }

    func testHandshakeWithTheTestCASucceedsAndReportsTheSession() throws {
        let pair = try BackToBack(configuration: try self.trustingTestCA())
        defer { pair.finish() }
        try pair.handshake()

        XCTAssertNil(pair.recorder.tlsError)
        XCTAssertEqual(pair.recorder.events, [.handshakeCompleted])
        XCTAssertTrue(pair.testServer.handshakeCompleted)
        let session = try XCTUnwrap(pair.recorder.session)
        XCTAssertEqual(session.protocolVersion, "TLSv1.3")
        XCTAssertFalse(session.cipherSuite.isEmpty)
        XCTAssertEqual(session.peerSubject, "CN = localhost")
        XCTAssertEqual(session.peerIssuer, "CN = wsc test CA")
        XCTAssertEqual(session.applicationProtocol, "http/1.1")
        XCTAssertTrue(session.peerVerified)
        XCTAssertEqual(pair.testServer.requestedServerName, "localhost")
        XCTAssertNotNil(try pair.client.pipeline.syncOperations.handler(type: TLSClientHandler.self))
    }

    func testHandshakeStartsWhenAddedToAnActiveChannel() throws {
        let certificates = try TestCertificates.shared()
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 443)).wait()
        XCTAssertNil(try channel.readOutbound(as: ByteBuffer.self))

        let context = try TLSClientContext(configuration: TLSConfiguration(caFile: certificates.caFile))
        try channel.pipeline.syncOperations.addHandler(TLSClientHandler(context: context, host: "localhost"))
        let hello = try XCTUnwrap(channel.readOutbound(as: ByteBuffer.self))
        XCTAssertEqual(hello.getInteger(at: hello.readerIndex, as: UInt8.self), 22, "a handshake record")
    }

    func testTLS12HandshakeSucceeds() throws {
        var options = TLSTestServer.Options()
        options.maximumVersionTLS12 = true
        let pair = try BackToBack(configuration: try self.trustingTestCA(), server: options)
        defer { pair.finish() }
        try pair.handshake()

        XCTAssertNil(pair.recorder.tlsError)
        XCTAssertEqual(pair.recorder.session?.protocolVersion, "TLSv1.2")
    }

    func testUnknownIssuerFailsWithoutTheCA() throws {
        let pair = try BackToBack(configuration: TLSConfiguration())
        defer { pair.finish() }
        try pair.handshake()

        let error = try XCTUnwrap(pair.recorder.tlsError)
        XCTAssertEqual(error.kind, .untrustedCertificate)
        guard case .unknownIssuer(host: "localhost", _) = error.reason else {
            return XCTFail("\(error.reason)")
        }
        XCTAssertEqual(pair.recorder.events, [.error, .inactive])
        XCTAssertFalse(pair.client.isActive)
        XCTAssertFalse(pair.testServer.handshakeCompleted)
    }

    func testSSLCertFileEnvironmentVariableIsTheDefaultTrustStore() throws {
        // setenv is process-wide; XCTest runs the tests of this target one after another.
        setenv("SSL_CERT_FILE", try TestCertificates.shared().caFile, 1)
        defer { unsetenv("SSL_CERT_FILE") }
        let pair = try BackToBack(configuration: TLSConfiguration())
        defer { pair.finish() }
        try pair.handshake()

        XCTAssertNil(pair.recorder.tlsError)
        XCTAssertEqual(pair.recorder.session?.peerVerified, true)
    }

    func testSelfSignedCertificateIsCalledSo() throws {
        var options = TLSTestServer.Options()
        options.certificate = "selfsigned"
        let pair = try BackToBack(configuration: try self.trustingTestCA(), server: options)
        defer { pair.finish() }
        try pair.handshake()

        let error = try XCTUnwrap(pair.recorder.tlsError)
        XCTAssertEqual(error.kind, .untrustedCertificate)
        XCTAssertTrue(error.description.contains("self-signed"), error.description)
    }

    func testInsecureSucceedsWithAnUntrustedCertificate() throws {
        var options = TLSTestServer.Options()
        options.certificate = "expired"
        let pair = try BackToBack(
            configuration: TLSConfiguration(verifyPeer: false),
            host: "wrong.example",
            server: options
        )
        defer { pair.finish() }
        try pair.handshake()

        XCTAssertNil(pair.recorder.tlsError)
        XCTAssertEqual(pair.recorder.session?.peerVerified, false)
        XCTAssertTrue(pair.testServer.handshakeCompleted)
    }

    func testIPv4LiteralVerifiesAgainstTheIPAddressEntryAndSendsNoSNI() throws {
        let pair = try BackToBack(configuration: try self.trustingTestCA(), host: "127.0.0.1")
        defer { pair.finish() }
        try pair.handshake()

        XCTAssertNil(pair.recorder.tlsError)
        XCTAssertEqual(pair.recorder.session?.peerVerified, true)
        XCTAssertNil(pair.testServer.requestedServerName, "RFC 6066 forbids IP literals in SNI")
    }

    func testIPv6LiteralInBracketsVerifiesAgainstTheIPAddressEntry() throws {
        let pair = try BackToBack(configuration: try self.trustingTestCA(), host: "[::1]")
        defer { pair.finish() }
        try pair.handshake()

        XCTAssertNil(pair.recorder.tlsError)
        XCTAssertNil(pair.testServer.requestedServerName)
    }

    func testHostMismatchFailsAndNamesTheCertificatesNames() throws {
        var options = TLSTestServer.Options()
        options.certificate = "other"
        let pair = try BackToBack(configuration: try self.trustingTestCA(), host: "localhost", server: options)
        defer { pair.finish() }
        try pair.handshake()

        let error = try XCTUnwrap(pair.recorder.tlsError)
        XCTAssertEqual(error.kind, .nameMismatch)
        XCTAssertTrue(error.description.contains("not valid for localhost"), error.description)
        XCTAssertTrue(error.description.contains("it is for other.example"), error.description)
    }

    func testIPAddressMismatchListsTheIPAddressEntries() throws {
        let pair = try BackToBack(configuration: try self.trustingTestCA(), host: "192.0.2.7")
        defer { pair.finish() }
        try pair.handshake()

        let error = try XCTUnwrap(pair.recorder.tlsError)
        XCTAssertEqual(error.kind, .nameMismatch)
        XCTAssertTrue(error.description.contains("it is for localhost, 127.0.0.1, ::1"), error.description)
    }

    func testAHostWithALeadingDotOrEmptyLabelIsRefusedBeforeAnythingIsSent() throws {
        // OpenSSL would read ".localhost" as "any name under localhost", and send it as SNI.
        for host in [".localhost", "a..localhost", "localhost..", "."] {
            let pair = try BackToBack(configuration: try self.trustingTestCA(), host: host)
            defer { pair.finish() }
            try pair.handshake()

            XCTAssertEqual(pair.recorder.tlsError?.kind, .invalidConfiguration, host)
            XCTAssertEqual(pair.clientWire.readableBytes, 0, "\(host): no ClientHello, so no SNI")
        }
        // The attack itself: a certificate for other.example would pass a check for ".example".
        var other = TLSTestServer.Options()
        other.certificate = "other"
        let suffix = try BackToBack(configuration: try self.trustingTestCA(), host: ".example", server: other)
        defer { suffix.finish() }
        try suffix.handshake()
        XCTAssertEqual(suffix.recorder.tlsError?.kind, .invalidConfiguration)
        XCTAssertEqual(suffix.recorder.events, [.error, .inactive])

        let viaServerName = try BackToBack(configuration: try self.trustingTestCA(serverName: ".localhost"))
        defer { viaServerName.finish() }
        try viaServerName.handshake()
        XCTAssertEqual(viaServerName.recorder.tlsError?.kind, .invalidConfiguration)
        XCTAssertEqual(viaServerName.clientWire.readableBytes, 0)
    }

    func testANameInTheSubjectAloneIsNotAccepted() throws {
        // RFC 6125 section 6.4.4: no fallback to the subject's CN, with or without other subjectAltName entries.
        for certificate in ["cnonly", "cnip"] {
            var options = TLSTestServer.Options()
            options.certificate = certificate
            let pair = try BackToBack(configuration: try self.trustingTestCA(), host: "localhost", server: options)
            defer { pair.finish() }
            try pair.handshake()

            let error = try XCTUnwrap(pair.recorder.tlsError, certificate)
            XCTAssertEqual(error.kind, .nameMismatch, certificate)
            XCTAssertFalse(pair.client.isActive, certificate)
        }
    }

    func testACertificateWithoutDNSNamesSaysSo() throws {
        var options = TLSTestServer.Options()
        options.certificate = "cnonly"
        let pair = try BackToBack(configuration: try self.trustingTestCA(), host: "localhost", server: options)
        defer { pair.finish() }
        try pair.handshake()

        let error = try XCTUnwrap(pair.recorder.tlsError)
        XCTAssertTrue(error.description.contains("names no host in its subjectAltName"), error.description)
    }

    func testAnIPAddressEntryStillMatchesWhenTheSubjectNamesAHost() throws {
        var options = TLSTestServer.Options()
        options.certificate = "cnip"
        let pair = try BackToBack(configuration: try self.trustingTestCA(), host: "127.0.0.1", server: options)
        defer { pair.finish() }
        try pair.handshake()

        XCTAssertNil(pair.recorder.tlsError)
        XCTAssertEqual(pair.recorder.events, [.handshakeCompleted])
    }

    func testServerNameOverridesTheHostForSNIAndVerification() throws {
        var options = TLSTestServer.Options()
        options.certificate = "other"
        let configuration = try self.trustingTestCA(serverName: "other.example")
        let pair = try BackToBack(configuration: configuration, host: "127.0.0.1", server: options)
        defer { pair.finish() }
        try pair.handshake()

        XCTAssertNil(pair.recorder.tlsError)
        XCTAssertEqual(pair.testServer.requestedServerName, "other.example")
    }

    func testExpiredCertificateFailsAndSaysWhen() throws {
        var options = TLSTestServer.Options()
        options.certificate = "expired"
        let pair = try BackToBack(configuration: try self.trustingTestCA(), server: options)
        defer { pair.finish() }
        try pair.handshake()

        let error = try XCTUnwrap(pair.recorder.tlsError)
        XCTAssertEqual(error.kind, .certificateExpired)
        XCTAssertTrue(error.description.contains("expired on 2021-01-01"), error.description)
    }

    func testNotYetValidCertificateFails() throws {
        var options = TLSTestServer.Options()
        options.certificate = "notyet"
        let pair = try BackToBack(configuration: try self.trustingTestCA(), server: options)
        defer { pair.finish() }
        try pair.handshake()

        let error = try XCTUnwrap(pair.recorder.tlsError)
        XCTAssertEqual(error.kind, .certificateNotYetValid)
        XCTAssertTrue(error.description.contains("not valid before 2099-01-01"), error.description)
    }

    func testAlertFromTheServerIsNamed() throws {
        var options = TLSTestServer.Options()
        options.refuseALPN = true
        let pair = try BackToBack(configuration: try self.trustingTestCA(), server: options)
        defer { pair.finish() }
        try pair.handshake()

        let error = try XCTUnwrap(pair.recorder.tlsError)
        XCTAssertEqual(error.kind, .alertReceived)
        XCTAssertTrue(error.description.contains("'no application protocol'"), error.description)
    }

    func testPlainTextAnswerIsReportedAsNotTLS() throws {
        let pair = try BackToBack(configuration: try self.trustingTestCA())
        defer { pair.finish() }
        try pair.connect()
        try pair.client.writeInbound(ByteBuffer(string: "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))

        let error = try XCTUnwrap(pair.recorder.tlsError)
        XCTAssertEqual(error.kind, .handshakeFailed)
        XCTAssertTrue(error.description.contains("did you mean ws://"), error.description)
    }

    func testConnectionClosedDuringTheHandshakeIsATLSError() throws {
        let pair = try BackToBack(configuration: try self.trustingTestCA())
        defer { pair.finish() }
        try pair.connect()
        pair.client.pipeline.fireChannelInactive()

        XCTAssertEqual(pair.recorder.tlsError?.kind, .handshakeFailed)
        XCTAssertEqual(pair.recorder.events, [.error, .inactive])
    }
}

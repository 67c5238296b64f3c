import NIOCore
import NIOEmbedded
import NIOHTTP1
import XCTest

@testable import WSEngine
@testable import WSTLS

/// The observer keeps what `TLSClientHandler` reports and passes everything on; `TLSLayer` turns what it kept
/// into the failure the user is told about.
final class TLSHandshakeObserverTests: XCTestCase {
    private static func session(certificateRequested: Bool = false) -> TLSSessionInfo {
        TLSSessionInfo(
            protocolVersion: "TLSv1.3",
            cipherSuite: "TLS_AES_256_GCM_SHA384",
            peerSubject: "CN = localhost",
            peerIssuer: "CN = wsc test CA",
            applicationProtocol: "http/1.1",
            peerVerified: true,
            clientCertificateRequested: certificateRequested
        )
    }

    func testHandshakeIsKeptAsASummaryAndPassedOn() throws {
        let observer = TLSHandshakeObserver()
        let catcher = EventCatcher()
        let channel = EmbeddedChannel(handlers: [observer, catcher])
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }

        channel.pipeline.fireUserInboundEventTriggered(TLSHandshakeCompleted(session: Self.session()))

        XCTAssertEqual(
            observer.summary,
            TLSSessionInfo(
                protocolVersion: "TLSv1.3",
                cipherSuite: "TLS_AES_256_GCM_SHA384",
                peerSubject: "CN = localhost",
                peerIssuer: "CN = wsc test CA",
                applicationProtocol: "http/1.1",
                peerVerified: true
            )
        )
        XCTAssertEqual(catcher.userEvents, 1)
    }

    func testFirstTLSErrorIsKeptAndEveryErrorPassedOn() throws {
        let observer = TLSHandshakeObserver()
        let catcher = EventCatcher()
        let channel = EmbeddedChannel(handlers: [observer, catcher])
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }

        channel.pipeline.fireErrorCaught(ChannelError.ioOnClosedChannel)
        channel.pipeline.fireErrorCaught(TLSError.closedAfterCertificateRequest)
        channel.pipeline.fireErrorCaught(TLSError.closedDuringHandshake)

        XCTAssertEqual(observer.error, .closedAfterCertificateRequest)
        XCTAssertNil(observer.summary)
        XCTAssertEqual(catcher.errors, 3)
    }

    func testBytesPassThroughUntouched() throws {
        let channel = EmbeddedChannel(handler: TLSHandshakeObserver())
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }

        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 101 Switching Protocols\r\n"))

        XCTAssertEqual(
            try channel.readInbound(as: ByteBuffer.self),
            ByteBuffer(string: "HTTP/1.1 101 Switching Protocols\r\n")
        )
    }

    func testLayerGoesFirstSoTheRequestWaitsForTheHandshake() throws {
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        try TLSLayer(context: nil, applicationProtocols: ["http/1.1"]).install(on: channel, host: "localhost")
        try channel.pipeline.syncOperations.addHandler(HTTPRequestEncoder())
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 443)).wait()

        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")
        channel.writeAndFlush(HTTPClientRequestPart.head(head), promise: nil)

        // RFC 8446 section 5.1: content type 22 is a handshake record; the request has not left in plaintext.
        let hello = try XCTUnwrap(try channel.readOutbound(as: ByteBuffer.self))
        XCTAssertEqual(hello.getInteger(at: hello.readerIndex, as: UInt8.self), 22)
        XCTAssertNil(try channel.readOutbound(as: ByteBuffer.self))
    }

    func testLayerReportsTheRecordedTLSErrorWhateverFollowedIt() throws {
        let (layer, channel) = try Self.installedLayer()
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }

        channel.pipeline.fireErrorCaught(TLSError.closedDuringHandshake)

        XCTAssertEqual(layer.failure(explaining: ChannelError.inappropriateOperationForState), .closedDuringHandshake)
        XCTAssertEqual(layer.failure(explaining: HTTPParserError.invalidVersion), .closedDuringHandshake)
    }

    func testHangUpAfterAnUnansweredCertificateRequestSaysWhatHappened() throws {
        let (layer, channel) = try Self.installedLayer()
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }

        channel.pipeline.fireUserInboundEventTriggered(
            TLSHandshakeCompleted(session: Self.session(certificateRequested: true))
        )

        // The request may have been optional: no claim that the certificate was required.
        XCTAssertEqual(
            layer.failure(explaining: ChannelError.inappropriateOperationForState),
            .closedAfterCertificateRequest
        )
        XCTAssertEqual(
            layer.failure(explaining: IOError(errnoCode: ECONNRESET, reason: "read")),
            .closedAfterCertificateRequest
        )
        // A server that answered, even badly, did not hang up on us.
        XCTAssertNil(layer.failure(explaining: HTTPParserError.invalidVersion))
    }

    func testHangUpWithoutACertificateRequestIsLeftToTheGenericMessage() throws {
        let (layer, channel) = try Self.installedLayer()
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }

        channel.pipeline.fireUserInboundEventTriggered(TLSHandshakeCompleted(session: Self.session()))

        XCTAssertNil(layer.failure(explaining: ChannelError.inappropriateOperationForState))
    }

    /// A layer on an inactive channel, so the TLS handler starts no handshake and events go straight through.
    private static func installedLayer() throws -> (TLSLayer, EmbeddedChannel) {
        let channel = EmbeddedChannel()
        let layer = try TLSLayer(context: nil, applicationProtocols: ["http/1.1"])
        try layer.install(on: channel, host: "localhost")
        try channel.pipeline.syncOperations.addHandler(EventCatcher())
        return (layer, channel)
    }
}

/// The end of a test pipeline: counts what reaches it, so that errors do not reach `EmbeddedChannel`.
private final class EventCatcher: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private(set) var userEvents = 0
    private(set) var errors = 0

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        self.userEvents += 1
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.errors += 1
    }
}

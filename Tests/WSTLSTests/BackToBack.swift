import NIOCore
import NIOEmbedded
import WSTLS
import XCTest

/// A `TLSClientHandler` and a `TLSTestServer` in two `EmbeddedChannel`s, with the bytes between them moved by
/// hand: every byte on the wire can be inspected, and nothing depends on timing.
final class BackToBack {
    let client: EmbeddedChannel
    let server: EmbeddedChannel
    let tls: TLSClientHandler
    let recorder: ClientRecorder
    let testServer: TLSTestServer
    /// Every byte the client sent, in order.
    private(set) var clientWire = ByteBuffer()

    init(
        configuration: TLSConfiguration,
        host: String = "localhost",
        server options: TLSTestServer.Options = TLSTestServer.Options()
    ) throws {
        let certificates = try TestCertificates.shared()
        let context = try TLSClientContext(configuration: configuration)
        self.tls = TLSClientHandler(context: context, host: host)
        self.recorder = ClientRecorder()
        self.client = EmbeddedChannel()
        try self.client.pipeline.syncOperations.addHandlers([self.tls, self.recorder])
        self.testServer = TLSTestServer(certificates: certificates, options: options)
        self.server = EmbeddedChannel(handler: self.testServer)
    }

    /// Connects the client channel, which starts the handshake.
    func connect() throws {
        try self.client.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 443)).wait()
    }

    /// Moves the client's bytes to the server; returns how many moved.
    @discardableResult
    func clientToServer() throws -> Int {
        var moved = 0
        while let bytes = try self.client.readOutbound(as: ByteBuffer.self) {
            moved += bytes.readableBytes
            self.clientWire.writeImmutableBuffer(bytes)
            try self.server.writeInbound(bytes)
        }
        return moved
    }

    /// Moves the server's bytes to the client; returns how many moved.
    @discardableResult
    func serverToClient() throws -> Int {
        var moved = 0
        while let bytes = try self.server.readOutbound(as: ByteBuffer.self) {
            moved += bytes.readableBytes
            if self.client.isActive {
                try self.client.writeInbound(bytes)
            }
        }
        return moved
    }

    /// Moves bytes both ways until neither side has anything to say.
    func shuttleUntilQuiet(file: StaticString = #filePath, line: UInt = #line) throws {
        for _ in 0..<100 {
            let moved = try self.clientToServer() + self.serverToClient()
            if moved == 0 {
                return
            }
        }
        XCTFail("the client and the server were still talking after 100 rounds", file: file, line: line)
    }

    /// Connects and runs the handshake to its end, successful or not.
    func handshake(file: StaticString = #filePath, line: UInt = #line) throws {
        try self.connect()
        try self.shuttleUntilQuiet(file: file, line: line)
    }

    /// Closes both channels, accepting that they may be closed already.
    func finish() {
        _ = try? self.client.finish(acceptAlreadyClosed: true)
        _ = try? self.server.finish(acceptAlreadyClosed: true)
    }
}

/// The handler after `TLSClientHandler` in the tests: records what reaches the application, in order.
final class ClientRecorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// One thing that reached the application.
    enum Event: Equatable {
        case handshakeCompleted
        case data
        case error
        case inactive
    }

    private(set) var events: [Event] = []
    private(set) var session: TLSSessionInfo?
    private(set) var errors: [any Error] = []
    private(set) var received = ByteBuffer()

    /// The one `TLSError` the handler reported, or `nil`.
    var tlsError: TLSError? {
        self.errors.first as? TLSError
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let completed = event as? TLSHandshakeCompleted {
            self.session = completed.session
            self.events.append(.handshakeCompleted)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = self.unwrapInboundIn(data)
        self.received.writeBuffer(&bytes)
        if self.events.last != .data {
            self.events.append(.data)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.errors.append(error)
        self.events.append(.error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.events.append(.inactive)
    }
}

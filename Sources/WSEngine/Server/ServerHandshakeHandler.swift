import NIOCore
import NIOHTTP1

/// The server's opening handshake on the wire (RFC 6455 section 4.2), for the listener: reads the client's
/// request with ``ServerHandshakeStateMachine``; answers a valid one with 101, installs the session after
/// itself, passes it every byte that came behind the request and leaves the pipeline, all within the read
/// that completed the request; answers anything else with an HTTP error and closes.
///
/// The outcome future never fails, so one bad client cannot end the accept loop.
final class ServerHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Decides the 101's extra headers and the session for a valid request: returns the headers to add to
    /// the 101 and a function that installs the session at the end of the pipeline once the 101 is written.
    typealias Accept = (HTTPRequestHead) -> (headers: HTTPHeaders, install: (any Channel) throws -> IncomingConnection)

    /// What a browser or curl pointed at wsc's server reads in a 426 answer.
    private static let notWebSocketBody =
        "This is a WebSocket server: connect with a WebSocket client.\n"

    private var machine = ServerHandshakeStateMachine()
    private let peer: String
    private let timeout: TimeAmount
    private let accept: Accept
    private var promise: EventLoopPromise<IncomingConnection>?
    private var timer: Scheduled<Void>?
    /// How the handshake ended; set when the handler joins a pipeline.
    private(set) var outcome: EventLoopFuture<IncomingConnection>!

    /// A handshake with the client at `peer` (its address, for the log), which has `timeout` from now to send
    /// its request, so that idle connections cannot pile up.
    init(peer: String, timeout: TimeAmount, accept: @escaping Accept) {
        self.peer = peer
        self.timeout = timeout
        self.accept = accept
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let promise = context.eventLoop.makePromise(of: IncomingConnection.self)
        self.promise = promise
        self.outcome = promise.futureResult
        let seconds = Double(self.timeout.nanoseconds) / 1e9
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(in: self.timeout) {
            self.finish(.refused(peer: self.peer, reason: "sent no complete upgrade request within \(seconds) s"))
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.finish(.refused(peer: self.peer, reason: "the connection closed during the opening handshake"))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.perform(self.machine.received(self.unwrapInboundIn(data)), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.perform(self.machine.inputEnded(), context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.finish(.refused(peer: self.peer, reason: "the opening handshake failed: \(error)"))
        context.close(promise: nil)
    }

    private func perform(_ action: ServerHandshakeStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .accept(let request, let acceptValue, let leftover):
            let (headers, install) = self.accept(request)
            var response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            response += "Sec-WebSocket-Accept: \(acceptValue)\r\n"
            for (name, value) in headers {
                response += "\(name): \(value)\r\n"
            }
            context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: response + "\r\n")), promise: nil)
            do {
                self.finish(try install(context.channel))
            } catch {
                self.finish(.refused(peer: self.peer, reason: "the session could not start: \(error)"))
                context.close(promise: nil)
                return
            }
            self.handOver(leftover, context: context)
        case .refuse(let refusal):
            self.finish(
                .refused(peer: self.peer, reason: "\(refusal.reason); answered \(refusal.status.code)")
            )
            self.answer(refusal.status, context: context)
        case .closedBeforeRequest:
            self.finish(.refused(peer: self.peer, reason: "the connection closed during the opening handshake"))
        }
    }

    /// An error answer that says what the client reached; `Sec-WebSocket-Version: 13` tells a client whose
    /// upgrade failed on its version which one we speak (RFC 6455 section 4.4).
    private func answer(_ status: HTTPResponseStatus, context: ChannelHandlerContext) {
        let body = status == .upgradeRequired ? Self.notWebSocketBody : "\(status.reasonPhrase)\n"
        var response = "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n"
        response += "Content-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\n"
        response += "Sec-WebSocket-Version: 13\r\nConnection: close\r\n\r\n" + body
        context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: response))).assumeIsolated().whenComplete {
            _ in
            context.close(promise: nil)
        }
    }

    private func finish(_ connection: IncomingConnection) {
        self.timer?.cancel()
        self.promise?.succeed(connection)
        self.promise = nil
    }
}

@available(*, unavailable)
extension ServerHandshakeHandler: Sendable {}

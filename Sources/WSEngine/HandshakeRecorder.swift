import NIOCore
import NIOHTTP1

/// Watches the opening handshake pass by, so that `-v` can show exactly what was sent and received, and a
/// refused upgrade can be reported with its status line and the start of its body.
///
/// It sits between the HTTP codec and NIO's upgrade handler, which keeps neither the request nor a
/// non-101 response for us.
final class HandshakeRecorder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias InboundOut = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    /// How much of a refusal's body is kept for the error message.
    static let bodyPrefixLimit = 512

    private(set) var request: HTTPRequestHead?
    private(set) var response: HTTPResponseHead?
    /// Completes with the first bytes of the response body once the body ended, the limit was reached,
    /// or the connection closed; set when the handler joins a pipeline.
    private(set) var bodyPrefix: EventLoopFuture<String>?
    private var body = ByteBuffer()
    private var bodyPromise: EventLoopPromise<String>?

    func handlerAdded(context: ChannelHandlerContext) {
        let promise = context.eventLoop.makePromise(of: String.self)
        self.bodyPromise = promise
        self.bodyPrefix = promise.futureResult
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head(let head) = Self.unwrapOutboundIn(data) {
            self.request = head
        }
        context.write(data, promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.response = head
        case .body(var chunk):
            let room = Self.bodyPrefixLimit - self.body.readableBytes
            if let slice = chunk.readSlice(length: min(room, chunk.readableBytes)) {
                self.body.writeImmutableBuffer(slice)
            }
            if self.body.readableBytes >= Self.bodyPrefixLimit {
                self.finishBody()
            }
        case .end:
            self.finishBody()
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.finishBody()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.finishBody()
    }

    private func finishBody() {
        self.bodyPromise?.succeed(String(decoding: self.body.readableBytesView, as: UTF8.self))
        self.bodyPromise = nil
    }
}

@available(*, unavailable)
extension HandshakeRecorder: Sendable {}

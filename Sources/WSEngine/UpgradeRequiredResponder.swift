import NIOCore
import NIOHTTP1

/// Answers a request that is not a WebSocket upgrade with `426 Upgrade Required` and closes, so that a
/// browser or curl pointed at `wsc --listen` learns what it reached instead of hanging.
///
/// `Sec-WebSocket-Version: 13` tells a client whose upgrade failed on its version which one we speak (RFC
/// 6455 section 4.4).
final class UpgradeRequiredResponder: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private static let body = "This is a WebSocket server (wsc --listen): connect with a WebSocket client.\n"

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = Self.unwrapInboundIn(data) else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: "\(Self.body.utf8.count)")
        headers.add(name: "Sec-WebSocket-Version", value: "13")
        headers.add(name: "Connection", value: "close")
        let head = HTTPResponseHead(version: .http1_1, status: .upgradeRequired, headers: headers)
        context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: Self.body)))), promise: nil)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension UpgradeRequiredResponder: Sendable {}

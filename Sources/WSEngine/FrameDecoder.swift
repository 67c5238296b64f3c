import NIOCore
import NIOWebSocket

/// NIO's `WebSocketFrameDecoder`, with the one check it folds into another: a 64-bit payload length whose most
/// significant bit is set breaks RFC 6455 section 5.2 ("the most significant bit MUST be 0") and is a protocol
/// error (1002), where NIO throws the same `invalidFrameLength` as for a frame over the size limit (1009).
///
/// The header of each frame is looked at before NIO's decoder reads it; NIO's decoder is only called once the
/// whole length field has arrived, so that whenever it finishes a frame the next byte starts a header again.
final class FrameDecoder: ByteToMessageDecoder {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = WebSocketFrame

    private let decoder: WebSocketFrameDecoder
    private let role: SessionRole
    /// Whether the next unread byte is the first of a frame (NIO's decoder holds no part of one).
    private var atFrameStart = true

    /// A decoder for frames of at most `maxFrameSize` bytes sent by the peer of `role`.
    init(maxFrameSize: Int, role: SessionRole) {
        self.decoder = WebSocketFrameDecoder(maxFrameSize: maxFrameSize)
        self.role = role
    }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if self.atFrameStart {
            guard let lengthCode = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self).map({ $0 & 0x7F })
            else { return .needMoreData }
            if lengthCode == 127 {
                guard let length = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt64.self) else {
                    return .needMoreData
                }
                if length >> 63 != 0 {
                    throw ProtocolViolation(
                        closeCode: .protocolError,
                        "\(self.role.peerName) sent a frame whose 64-bit length has the most significant bit set"
                    )
                }
            } else if lengthCode == 126, buffer.readableBytes < 4 {
                return .needMoreData
            }
        }
        let state = try self.decoder.decode(context: context, buffer: &buffer)
        // `.continue` follows a finished frame; otherwise NIO's decoder holds a frame's header and waits for the rest.
        self.atFrameStart = state == .continue
        return state
    }
}

@available(*, unavailable)
extension FrameDecoder: Sendable {}

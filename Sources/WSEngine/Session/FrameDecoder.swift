import NIOCore
import NIOWebSocket

/// NIO's `WebSocketFrameDecoder`, with two checks it cannot make:
/// - a 64-bit payload length whose most significant bit is set breaks RFC 6455 section 5.2 ("the most
///   significant bit MUST be 0") and is a protocol error (1002), where NIO throws the same `invalidFrameLength`
///   as for a frame over the size limit (1009);
/// - text that is not UTF-8 is refused (1007) as its bytes arrive (RFC 6455 section 8.1: "as soon as"), not
///   only once the frame is complete: NIO's decoder keeps an unfinished frame's payload in the buffer, and the
///   part that is there is checked at every read.
///
/// The header of each frame is read here before NIO's decoder sees it; NIO's decoder is only called once the
/// whole header has arrived, so that whenever it finishes a frame the next byte starts a header again, and
/// while it waits for a payload the buffer holds just that payload's first bytes. A complete frame is left to
/// the session's own check, so each byte is checked twice only in frames that span reads.
final class FrameDecoder: ByteToMessageDecoder {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = WebSocketFrame

    private let decoder: WebSocketFrameDecoder
    private let role: SessionRole
    /// Whether the next unread byte is the first of a frame (NIO's decoder holds no part of one).
    private var atFrameStart = true
    /// Whether the data frames of the message under way carry plain UTF-8 (text, not compressed).
    private var messageIsPlainText = false
    /// The text frame whose payload NIO's decoder waits for, with how much of it has been checked.
    private var partialText: PartialText?

    fileprivate struct PartialText {
        /// The frame's masking key, its first byte in the low byte (as ``PayloadMask`` takes it).
        var maskKeyWord: UInt32?
        var checked = 0
        var validator = UTF8Validator()
        /// Continuation bytes at the start of a continuation frame finish a character begun in the frame
        /// before; they are left to the session's check (at most 3).
        var leadingBytesToSkip: Int
    }

    /// How many bytes of a masked text frame are unmasked at a time for the early check (a multiple of 4, so
    /// the key stays in step from one piece to the next).
    private static let textCheckPiece = 4096

    /// A decoder for frames of at most `maxFrameSize` bytes sent by the peer of `role`.
    init(maxFrameSize: Int, role: SessionRole) {
        self.decoder = WebSocketFrameDecoder(maxFrameSize: maxFrameSize)
        self.role = role
    }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if self.atFrameStart {
            switch try self.peekHeader(buffer) {
            case .incomplete:
                return .needMoreData
            case .complete(let text):
                self.partialText = text
            }
        }
        let state = try self.decoder.decode(context: context, buffer: &buffer)
        // `.continue` follows a finished frame; otherwise NIO's decoder holds a frame's header and waits for the rest.
        self.atFrameStart = state == .continue
        if self.atFrameStart {
            self.partialText = nil
        } else if self.partialText != nil {
            try self.checkText(buffer)
        }
        return state
    }

    private enum HeaderPeek {
        /// More bytes are needed for the whole header.
        case incomplete
        /// The header is there; what checking its payload as text needs, `nil` when it carries no plain text.
        case complete(PartialText?)
    }

    /// Reads a whole frame header without consuming it, or throws for a length with its top bit set.
    private func peekHeader(_ buffer: ByteBuffer) throws -> HeaderPeek {
        let start = buffer.readerIndex
        guard let first = buffer.getInteger(at: start, as: UInt8.self),
            let second = buffer.getInteger(at: start + 1, as: UInt8.self)
        else { return .incomplete }
        var headerSize = 2
        switch second & 0x7F {
        case 126:
            headerSize += 2
        case 127:
            guard let length = buffer.getInteger(at: start + 2, as: UInt64.self) else { return .incomplete }
            if length >> 63 != 0 {
                throw ProtocolViolation(
                    closeCode: .protocolError,
                    "\(self.role.peerName) sent a frame whose 64-bit length has the most significant bit set"
                )
            }
            headerSize += 8
        default:
            break
        }
        let masked = second & 0x80 != 0
        guard buffer.readableBytes >= headerSize + (masked ? 4 : 0) else { return .incomplete }
        let opcode = first & 0x0F
        let compressed = first & 0x40 != 0
        switch opcode {
        case 0x1:
            self.messageIsPlainText = !compressed
        case 0x2:
            self.messageIsPlainText = false
        case 0x0:
            break
        default:
            // A control frame (or a reserved opcode, which the session refuses): no text to check.
            return .complete(nil)
        }
        guard self.messageIsPlainText else { return .complete(nil) }
        let maskKeyWord = masked ? buffer.getInteger(at: start + headerSize, endianness: .little, as: UInt32.self) : nil
        return .complete(PartialText(maskKeyWord: maskKeyWord, leadingBytesToSkip: opcode == 0 ? 3 : 0))
    }

    /// Checks the payload bytes of the unfinished text frame that arrived since the last read.
    private func checkText(_ buffer: ByteBuffer) throws {
        guard var text = self.partialText, buffer.readableBytes > text.checked else { return }
        let valid = buffer.withUnsafeReadableBytes { payload -> Bool in
            let unchecked = UnsafeRawBufferPointer(rebasing: payload[text.checked...])
            guard let keyWord = text.maskKeyWord else {
                return text.consume(unchecked)
            }
            // Unmasked a piece at a time on the stack; the key turned to start at the first unchecked byte.
            let turn = UInt32(text.checked & 3) * 8
            let turnedKey = turn == 0 ? keyWord : keyWord >> turn | keyWord << (32 - turn)
            return withUnsafeTemporaryAllocation(byteCount: Self.textCheckPiece, alignment: 8) { scratch in
                var offset = 0
                while offset < unchecked.count {
                    let piece = UnsafeRawBufferPointer(
                        rebasing: unchecked[offset..<min(offset + Self.textCheckPiece, unchecked.count)]
                    )
                    let unmasked = UnsafeMutableRawBufferPointer(rebasing: scratch[..<piece.count])
                    PayloadMask.apply(piece, into: unmasked, keyWord: turnedKey)
                    guard text.consume(UnsafeRawBufferPointer(unmasked)) else { return false }
                    offset += piece.count
                }
                return true
            }
        }
        guard valid else {
            throw ProtocolViolation(closeCode: .invalidPayloadData, "text message is not valid UTF-8")
        }
        text.checked = buffer.readableBytes
        self.partialText = text
    }
}

extension FrameDecoder.PartialText {
    /// Checks more of the payload, after the continuation bytes at its start that belong to the frame before.
    fileprivate mutating func consume(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var start = 0
        while self.leadingBytesToSkip > 0, start < bytes.count, bytes[start] & 0xC0 == 0x80 {
            start += 1
            self.leadingBytesToSkip -= 1
        }
        if start < bytes.count {
            self.leadingBytesToSkip = 0
        }
        return self.validator.consume(UnsafeRawBufferPointer(rebasing: bytes[start...]))
    }
}

@available(*, unavailable)
extension FrameDecoder: Sendable {}

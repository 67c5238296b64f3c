import NIOCore
import NIOWebSocket

/// Writes frames (RFC 6455 section 5.2) into one buffer: header, then the payload, masked on the way for a
/// client (section 5.3) and copied as it is for a server.
///
/// NIO's `WebSocketFrameEncoder` emits each frame as its own header and payload buffers, so a burst of
/// small messages costs two I/O vectors each and a copy-on-write per payload when it masks a shared slice.
/// Encoding a whole batch into one contiguous buffer turns thousands of small messages into a single
/// `write(2)`, and masking while copying touches every payload byte once.
struct FrameEncoder {
    private var maskingKeys = MaskingKeySource()
    /// Whether frames are masked: a client's always are, a server's never (RFC 6455 section 5.1).
    private let masking: Bool

    /// An encoder for a client (`masking`) or a server.
    init(masking: Bool = true) {
        self.masking = masking
    }

    /// Unmasked payloads of this size or more are not copied into the batch: copying them costs more than
    /// the I/O vector of their own that they take instead.
    static let separatePayloadSize = 1 << 14

    /// Appends one frame with `payload` to `output`; `rsv1` marks a compressed message (RFC 7692 section 6),
    /// and `fin` false a fragment that more frames of the message follow (RFC 6455 section 5.4).
    mutating func encode(
        _ opcode: WebSocketOpcode,
        payload: ByteBuffer,
        rsv1: Bool = false,
        fin: Bool = true,
        into output: inout ByteBuffer
    ) {
        let length = payload.readableBytes
        let first = Self.firstByte(opcode, rsv1: rsv1, fin: fin)
        let keyWord = self.masking ? self.maskingKeys.nextKeyWord() : nil
        // The header (at most 14 bytes) and a masked payload in one write: each of ByteBuffer's writes checks
        // capacity and uniqueness, which cost more than the bytes of a small message.
        output.writeWithUnsafeMutableBytes(minimumWritableBytes: 14 + (keyWord == nil ? 0 : length)) { destination in
            let size = Self.writeHeader(first: first, length: length, keyWord: keyWord, into: destination)
            guard let keyWord else {
                return size
            }
            payload.withUnsafeReadableBytes { source in
                PayloadMask.apply(
                    source,
                    into: UnsafeMutableRawBufferPointer(rebasing: destination[size...]),
                    keyWord: keyWord
                )
            }
            return size + length
        }
        if keyWord == nil {
            output.writeImmutableBuffer(payload)
        }
    }

    /// Appends a data frame as ``encode(_:payload:rsv1:fin:into:)`` does, except for an unmasked payload of
    /// ``separatePayloadSize`` or more: only its header is appended, and the payload is returned, to be
    /// written as it is right after `output`.
    mutating func encodeData(
        _ opcode: WebSocketOpcode,
        payload: ByteBuffer,
        rsv1: Bool = false,
        fin: Bool = true,
        into output: inout ByteBuffer
    ) -> ByteBuffer? {
        guard !self.masking, payload.readableBytes >= Self.separatePayloadSize else {
            self.encode(opcode, payload: payload, rsv1: rsv1, fin: fin, into: &output)
            return nil
        }
        let first = Self.firstByte(opcode, rsv1: rsv1, fin: fin)
        output.writeWithUnsafeMutableBytes(minimumWritableBytes: 10) { destination in
            Self.writeHeader(first: first, length: payload.readableBytes, keyWord: nil, into: destination)
        }
        return payload
    }

    private static func firstByte(_ opcode: WebSocketOpcode, rsv1: Bool, fin: Bool) -> UInt8 {
        (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | UInt8(webSocketOpcode: opcode)
    }

    /// Writes a frame header at the start of `destination` (room for 14 bytes) and returns its size.
    private static func writeHeader(
        first: UInt8,
        length: Int,
        keyWord: UInt32?,
        into destination: UnsafeMutableRawBufferPointer
    ) -> Int {
        let maskBit: UInt8 = keyWord == nil ? 0 : 0x80
        destination[0] = first
        var size = 2
        switch length {
        case 0...125:
            destination[1] = maskBit | UInt8(length)
        case 126...0xFFFF:
            destination[1] = maskBit | 126
            destination.storeBytes(of: UInt16(length).bigEndian, toByteOffset: 2, as: UInt16.self)
            size = 4
        default:
            destination[1] = maskBit | 127
            destination.storeBytes(of: UInt64(length).bigEndian, toByteOffset: 2, as: UInt64.self)
            size = 10
        }
        if let keyWord {
            // The key's bytes in order: the first is the word's low byte.
            destination.storeBytes(of: keyWord.littleEndian, toByteOffset: size, as: UInt32.self)
            size += 4
        }
        return size
    }
}

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
        output.reserveCapacity(minimumWritableBytes: 14 + length)
        output.writeInteger((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | UInt8(webSocketOpcode: opcode))
        let maskBit: UInt8 = self.masking ? 0x80 : 0
        switch length {
        case 0...125:
            output.writeInteger(maskBit | UInt8(length))
        case 126...0xFFFF:
            output.writeInteger(maskBit | 126)
            output.writeInteger(UInt16(length))
        default:
            output.writeInteger(maskBit | 127)
            output.writeInteger(UInt64(length))
        }
        guard self.masking else {
            output.writeImmutableBuffer(payload)
            return
        }
        let key = self.maskingKeys.nextKey()
        output.writeBytes(key)
        let keyWord = UInt32(key[0]) | UInt32(key[1]) << 8 | UInt32(key[2]) << 16 | UInt32(key[3]) << 24
        output.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { destination in
            payload.withUnsafeReadableBytes { source in
                Self.mask(source, into: destination, keyWord: keyWord)
            }
            return length
        }
    }

    /// Copies `source` into `destination` XOR-ed with the key, 32 and then 8 bytes at a time.
    private static func mask(
        _ source: UnsafeRawBufferPointer,
        into destination: UnsafeMutableRawBufferPointer,
        keyWord: UInt32
    ) {
        let count = source.count
        let wideKey = UInt64(keyWord) | UInt64(keyWord) << 32
        var index = 0
        while index + 32 <= count {
            for offset in stride(from: index, to: index + 32, by: 8) {
                let word = source.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                destination.storeBytes(of: word ^ wideKey, toByteOffset: offset, as: UInt64.self)
            }
            index += 32
        }
        while index + 8 <= count {
            let word = source.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            destination.storeBytes(of: word ^ wideKey, toByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < count {
            let keyByte = UInt8(truncatingIfNeeded: keyWord >> (UInt32(index & 3) * 8))
            destination[index] = source[index] ^ keyByte
            index += 1
        }
    }
}

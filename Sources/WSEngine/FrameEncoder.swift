import NIOCore
import NIOWebSocket

/// Writes client frames (RFC 6455 section 5.2) into one buffer: header, then the payload masked on the way.
///
/// NIO's `WebSocketFrameEncoder` emits each frame as its own header and payload buffers, so a burst of
/// small messages costs two I/O vectors each and a copy-on-write per payload when it masks a shared slice.
/// Encoding a whole batch into one contiguous buffer turns thousands of small messages into a single
/// `write(2)`, and masking while copying touches every payload byte once.
struct FrameEncoder {
    private var maskingKeys = MaskingKeySource()

    /// Appends one masked frame with `payload` to `output`.
    mutating func encode(
        _ opcode: WebSocketOpcode,
        payload: ByteBuffer,
        rsv1: Bool = false,
        into output: inout ByteBuffer
    ) {
        let length = payload.readableBytes
        output.reserveCapacity(minimumWritableBytes: 14 + length)
        output.writeInteger(0x80 | (rsv1 ? 0x40 : 0) | UInt8(webSocketOpcode: opcode))
        switch length {
        case 0...125:
            output.writeInteger(0x80 | UInt8(length))
        case 126...0xFFFF:
            output.writeInteger(UInt8(0x80 | 126))
            output.writeInteger(UInt16(length))
        default:
            output.writeInteger(UInt8(0x80 | 127))
            output.writeInteger(UInt64(length))
        }
        let key = self.maskingKeys.next()
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

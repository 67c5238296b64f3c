import NIOCore
import NIOWebSocket

/// The masking of RFC 6455 section 5.3, a machine word at a time: the client's ``FrameEncoder`` masks a
/// payload with it as it copies the payload into the frame, and a server unmasks its clients' payloads with
/// it. (NIO's `unmaskedData` goes a byte at a time, at about 24 instructions a byte.)
enum PayloadMask {
    /// Copies `source` into `destination` XOR-ed with the key, 32 and then 8 bytes at a time. The key's first
    /// byte is `keyWord`'s low byte; the wide key is laid out in memory order, so that it lines up with the
    /// words loaded on a big-endian machine too.
    static func apply(
        _ source: UnsafeRawBufferPointer,
        into destination: UnsafeMutableRawBufferPointer,
        keyWord: UInt32
    ) {
        let count = source.count
        let wideKey = (UInt64(keyWord) | UInt64(keyWord) << 32).littleEndian
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

    /// The payload of `frame` as its sender wrote it: the frame's own bytes when it is not masked, otherwise
    /// a buffer of its own with the mask undone.
    static func unmaskedPayload(of frame: WebSocketFrame) -> ByteBuffer {
        guard let key = frame.maskKey else {
            return frame.data
        }
        let keyWord = UInt32(key[0]) | UInt32(key[1]) << 8 | UInt32(key[2]) << 16 | UInt32(key[3]) << 24
        let count = frame.data.readableBytes
        var payload = ByteBufferAllocator().buffer(capacity: count)
        payload.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { destination in
            frame.data.withUnsafeReadableBytes { source in
                Self.apply(source, into: destination, keyWord: keyWord)
            }
            return count
        }
        return payload
    }
}

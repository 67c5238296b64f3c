import NIOCore

/// The payload of an echo load test: the message's sequence number and the time it was due, as 16 hex
/// digits each, then filler up to the size asked for. All ASCII, so a text message stays UTF-8, and the
/// payload keeps its size; an echo brings both numbers back.
public enum BenchPayload {
    /// The smallest payload: two 16-digit hex numbers.
    public static let minimumSize = 32

    private static let filler = UInt8(ascii: "x")
    private static let digits = Array("0123456789abcdef".utf8)

    /// Appends a payload of `size` bytes (at least ``minimumSize``) for message `sequence`, due at `due`
    /// (nanoseconds on the test's clock), to `buffer`: a batch's payloads share one buffer, sliced.
    static func write(sequence: UInt64, due: UInt64, size: Int, to buffer: inout ByteBuffer) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { bytes in
            Self.writeHex(sequence, into: bytes, at: 0)
            Self.writeHex(due, into: bytes, at: 16)
            for index in Self.minimumSize..<size {
                bytes[index] = Self.filler
            }
            return size
        }
    }

    /// The sequence number and due time a reply carries, or `nil` when it is not such a payload.
    static func read(_ payload: ByteBuffer) -> (sequence: UInt64, due: UInt64)? {
        guard payload.readableBytes >= Self.minimumSize else { return nil }
        return payload.withUnsafeReadableBytes { bytes in
            guard let sequence = Self.readHex(bytes, at: 0), let due = Self.readHex(bytes, at: 16) else {
                return nil
            }
            return (sequence, due)
        }
    }

    private static func writeHex(_ value: UInt64, into bytes: UnsafeMutableRawBufferPointer, at offset: Int) {
        for index in 0..<16 {
            bytes[offset + index] = Self.digits[Int((value >> UInt64(60 - 4 * index)) & 0xf)]
        }
    }

    private static func readHex(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64? {
        var value: UInt64 = 0
        for index in offset..<offset + 16 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }
}

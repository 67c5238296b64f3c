import NIOCore

/// The payload of an echo load test: the message's sequence number and the time it was due, as 16 hex
/// digits each, then filler up to the size asked for. All ASCII, so a text message stays UTF-8, and the
/// payload keeps its size; an echo brings both numbers back.
public enum BenchPayload {
    /// The smallest payload: two 16-digit hex numbers.
    public static let minimumSize = 32

    private static let filler = UInt8(ascii: "x")

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

    // Two numbers are written and read for every message: their digits are made and parsed eight at a time,
    // a byte per digit in one 64-bit word, the most significant digit first in memory.

    private static func writeHex(_ value: UInt64, into bytes: UnsafeMutableRawBufferPointer, at offset: Int) {
        bytes.storeBytes(
            of: Self.hexDigits(UInt32(truncatingIfNeeded: value >> 32)),
            toByteOffset: offset,
            as: UInt64.self
        )
        bytes.storeBytes(
            of: Self.hexDigits(UInt32(truncatingIfNeeded: value)),
            toByteOffset: offset + 8,
            as: UInt64.self
        )
    }

    private static func readHex(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64? {
        let first = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        let second = bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)
        guard let high = Self.hexValue(UInt64(littleEndian: first)),
            let low = Self.hexValue(UInt64(littleEndian: second))
        else { return nil }
        return UInt64(high) << 32 | UInt64(low)
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The eight lowercase hex digits of `value`, as the bytes of a word stored in memory order.
    static func hexDigits(_ value: UInt32) -> UInt64 {
        // One nibble to each byte, the least significant in the lowest byte.
        var nibbles = UInt64(value)
        nibbles = (nibbles | nibbles << 16) & 0x0000_FFFF_0000_FFFF
        nibbles = (nibbles | nibbles << 8) & 0x00FF_00FF_00FF_00FF
        nibbles = (nibbles | nibbles << 4) & 0x0F0F_0F0F_0F0F_0F0F
        // A nibble of 10 or more gets bit 4 once 6 is added: it becomes a letter, 0x27 past its digit.
        let letters = ((nibbles &+ 6 &* Self.ones) >> 4) & Self.ones
        let digits = nibbles &+ 0x30 &* Self.ones &+ letters &* 0x27
        // The most significant digit goes first in memory.
        return digits.byteSwapped.littleEndian
    }

    /// The value of eight lowercase hex digits, loaded from memory as a little-endian word; `nil` if any byte
    /// is not one.
    static func hexValue(_ word: UInt64) -> UInt32? {
        // Each check adds to every byte at once: below 0x80 and with less than 0x80 added, no byte carries
        // into the next, and a byte's top bit says whether it reached the bound.
        guard word & Self.highBits == 0 else { return nil }
        func atLeast(_ bound: UInt8) -> UInt64 {
            (word &+ UInt64(0x80 - bound) &* Self.ones) & Self.highBits
        }
        let digits = atLeast(UInt8(ascii: "0")) & ~atLeast(UInt8(ascii: "9") + 1)
        let letters = atLeast(UInt8(ascii: "a")) & ~atLeast(UInt8(ascii: "f") + 1)
        guard digits | letters == Self.highBits else { return nil }
        // '0'...'9' and 'a'...'f' end in their value and their value less 9.
        var nibbles = (word & 0x0F0F_0F0F_0F0F_0F0F) &+ (letters >> 7) &* 9
        // The first digit in memory is the most significant: reversed, then two nibbles to a byte, and so on.
        nibbles = nibbles.byteSwapped
        nibbles = (nibbles | nibbles >> 4) & 0x00FF_00FF_00FF_00FF
        nibbles = (nibbles | nibbles >> 8) & 0x0000_FFFF_0000_FFFF
        nibbles = (nibbles | nibbles >> 16) & 0x0000_0000_FFFF_FFFF
        return UInt32(truncatingIfNeeded: nibbles)
    }
}

import NIOCore

/// Standard base64 with padding (RFC 4648 section 4): for the `Authorization` header, and for binary messages
/// in JSON Lines output.
///
/// Written here because the engine avoids Foundation, and this is all of base64 it needs.
package enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Encodes `bytes`.
    package static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { source in
            String(unsafeUninitializedCapacity: Self.encodedCount(source.count)) { target in
                Self.encode(source, into: UnsafeMutableRawBufferPointer(target))
            }
        }
    }

    /// Appends the encoding of `bytes`' readable bytes to `output`.
    package static func write(_ bytes: ByteBuffer, to output: inout ByteBuffer) {
        bytes.withUnsafeReadableBytes { source in
            _ = output.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.encodedCount(source.count)) { target in
                Self.encode(source, into: target)
            }
        }
    }

    private static func encodedCount(_ count: Int) -> Int {
        (count + 2) / 3 * 4
    }

    /// Writes the encoding of `source` at the start of `target`, which has room for it; returns its length.
    private static func encode(_ source: UnsafeRawBufferPointer, into target: UnsafeMutableRawBufferPointer) -> Int {
        var written = 0
        var index = 0
        while index < source.count {
            let remaining = source.count - index
            let first = UInt32(source[index])
            let second = remaining > 1 ? UInt32(source[index + 1]) : 0
            let third = remaining > 2 ? UInt32(source[index + 2]) : 0
            let triple = first << 16 | second << 8 | third
            target[written] = Self.alphabet[Int(triple >> 18 & 63)]
            target[written + 1] = Self.alphabet[Int(triple >> 12 & 63)]
            target[written + 2] = remaining > 1 ? Self.alphabet[Int(triple >> 6 & 63)] : UInt8(ascii: "=")
            target[written + 3] = remaining > 2 ? Self.alphabet[Int(triple & 63)] : UInt8(ascii: "=")
            written += 4
            index += 3
        }
        return written
    }
}

import NIOCore

/// Byte buffers the tests build from hex strings and deterministic generators.
enum TestData {
    /// Parses "f2 48 cd" (spaces optional) into a buffer.
    static func hex(_ text: String) -> ByteBuffer {
        let digits = Array(text.utf8.filter { $0 != UInt8(ascii: " ") })
        precondition(digits.count % 2 == 0, "odd number of hex digits in \(text)")
        var buffer = ByteBuffer()
        var index = 0
        while index < digits.count {
            let pair = String(decoding: digits[index..<index + 2], as: UTF8.self)
            buffer.writeInteger(UInt8(pair, radix: 16)!)
            index += 2
        }
        return buffer
    }

    /// The readable bytes as "f2 48 cd".
    static func hex(_ buffer: ByteBuffer) -> String {
        buffer.readableBytesView.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
    }

    /// `count` bytes from a fixed-seed SplitMix64 generator: incompressible and the same on every run.
    static func random(count: Int, seed: UInt64 = 0x5EED) -> ByteBuffer {
        var state = seed
        var buffer = ByteBuffer()
        buffer.reserveCapacity(count + 8)
        while buffer.readableBytes < count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            buffer.writeInteger(mixed ^ (mixed >> 31))
        }
        buffer.moveWriterIndex(to: count)
        return buffer
    }

    /// `count` bytes of one random block of `period` bytes repeated: compressible, but only with a window that
    /// reaches `period` bytes back, so it tells the window sizes apart.
    static func repetitive(count: Int, period: Int = 1000) -> ByteBuffer {
        let block = random(count: period, seed: 42)
        var buffer = ByteBuffer()
        buffer.reserveCapacity(count + period)
        while buffer.readableBytes < count {
            buffer.writeImmutableBuffer(block)
        }
        buffer.moveWriterIndex(to: count)
        return buffer
    }

    /// A buffer holding the UTF-8 of `text`.
    static func text(_ text: String) -> ByteBuffer {
        ByteBuffer(string: text)
    }
}

/// Checks UTF-8 incrementally, so a text message split over frames is judged fragment by fragment and a
/// broken one is refused as soon as its first bad byte arrives (RFC 6455 section 8.1).
///
/// The byte ranges are those of RFC 3629 section 4, which exclude overlong forms, surrogates and code
/// points above U+10FFFF.
package struct UTF8Validator: Sendable {
    /// Continuation bytes still owed by the sequence in progress.
    private var pending = 0
    /// Allowed range of the next continuation byte; narrower than 80...BF right after E0, ED, F0 and F4.
    private var nextLow: UInt8 = 0x80
    private var nextHigh: UInt8 = 0xBF

    /// A validator at the start of a text.
    package init() {}

    /// Whether everything consumed so far ends on a character boundary.
    package var isAtBoundary: Bool { self.pending == 0 }

    /// Feeds more bytes; returns `false` at the first byte that cannot be part of valid UTF-8.
    package mutating func consume(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            if self.pending == 0 {
                index = Self.skipASCII(bytes, from: index)
                guard index < count else { return true }
                guard self.begin(bytes[index]) else { return false }
            } else {
                let byte = bytes[index]
                guard byte >= self.nextLow && byte <= self.nextHigh else { return false }
                self.pending -= 1
                self.nextLow = 0x80
                self.nextHigh = 0xBF
            }
            index += 1
        }
        return true
    }

    /// Convenience for a whole buffer that must be complete UTF-8 on its own.
    package static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var validator = UTF8Validator()
        return validator.consume(bytes) && validator.isAtBoundary
    }

    private mutating func begin(_ lead: UInt8) -> Bool {
        switch lead {
        case 0xC2...0xDF: self.expect(1, low: 0x80, high: 0xBF)
        case 0xE0: self.expect(2, low: 0xA0, high: 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: self.expect(2, low: 0x80, high: 0xBF)
        case 0xED: self.expect(2, low: 0x80, high: 0x9F)
        case 0xF0: self.expect(3, low: 0x90, high: 0xBF)
        case 0xF1...0xF3: self.expect(3, low: 0x80, high: 0xBF)
        case 0xF4: self.expect(3, low: 0x80, high: 0x8F)
        default: return false
        }
        return true
    }

    private mutating func expect(_ count: Int, low: UInt8, high: UInt8) {
        self.pending = count
        self.nextLow = low
        self.nextHigh = high
    }

    /// Returns the index of the first non-ASCII byte at or after `start`, 32 and then 8 bytes at a time.
    private static func skipASCII(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        let count = bytes.count
        while index + 32 <= count {
            let words =
                bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                | bytes.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
                | bytes.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
                | bytes.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
            if words & 0x8080_8080_8080_8080 != 0 { break }
            index += 32
        }
        while index + 8 <= count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        while index < count && bytes[index] < 0x80 {
            index += 1
        }
        return index
    }
}

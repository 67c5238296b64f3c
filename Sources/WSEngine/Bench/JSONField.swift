import NIOCore

/// A top-level field of a JSON object that carries a message's sequence number: the template's value is
/// replaced by the number (quoted if the template's was a string), and a reply is matched by the number in
/// the same field, as a JSON-RPC server answers with the request's `id`.
///
/// Only the top level is read, so the same name inside a result does not count; keys are compared as they
/// are written, without decoding escapes.
public struct JSONField: Sendable {
    /// The field's name.
    public let name: String
    private let key: [UInt8]
    private let prefix: [UInt8]
    private let suffix: [UInt8]
    private let quoted: Bool

    /// The field `name` of `template`, or `nil` when `template` is not a JSON object with that field at its
    /// top level.
    public init?(name: String, template: [UInt8]) {
        let key = Array(name.utf8)
        guard let value = template.withUnsafeBytes({ Self.value(of: key, in: $0) }) else { return nil }
        self.name = name
        self.key = key
        self.prefix = Array(template[..<value.lowerBound])
        self.suffix = Array(template[value.upperBound...])
        self.quoted = template[value.lowerBound] == Self.quote
    }

    /// The template with `sequence` in the field.
    func message(sequence: UInt64, allocator: ByteBufferAllocator) -> ByteBuffer {
        let number = String(sequence)
        var buffer = allocator.buffer(capacity: self.prefix.count + number.utf8.count + 2 + self.suffix.count)
        buffer.writeBytes(self.prefix)
        if self.quoted { buffer.writeInteger(Self.quote) }
        buffer.writeString(number)
        if self.quoted { buffer.writeInteger(Self.quote) }
        buffer.writeBytes(self.suffix)
        return buffer
    }

    /// The sequence number in a reply's field (a number, or a string of digits), or `nil` without one.
    func sequence(in reply: ByteBuffer) -> UInt64? {
        reply.withUnsafeReadableBytes { bytes in
            guard var range = Self.value(of: self.key, in: bytes) else { return nil }
            if range.count >= 2, bytes[range.lowerBound] == Self.quote {
                range = range.lowerBound + 1..<range.upperBound - 1
            }
            guard !range.isEmpty, range.count <= 19 else { return nil }
            var value: UInt64 = 0
            for index in range {
                let byte = bytes[index]
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
            }
            return value
        }
    }

    // MARK: - A scanner of an object's top level

    private static let quote = UInt8(ascii: "\"")

    /// Where the value of the top-level `key` lies in `bytes`, which must hold a JSON object.
    private static func value(of key: [UInt8], in bytes: UnsafeRawBufferPointer) -> Range<Int>? {
        var index = Self.skipSpace(bytes, from: 0)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        while true {
            index = Self.skipSpace(bytes, from: index)
            guard index < bytes.count, bytes[index] == Self.quote, let nameEnd = Self.stringEnd(bytes, from: index)
            else { return nil }
            let name = bytes[index + 1..<nameEnd - 1]
            index = Self.skipSpace(bytes, from: nameEnd)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            let start = Self.skipSpace(bytes, from: index + 1)
            guard let end = Self.valueEnd(bytes, from: start), end > start else { return nil }
            if name.elementsEqual(key) {
                return start..<end
            }
            index = Self.skipSpace(bytes, from: end)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
    }

    private static func skipSpace(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
            index += 1
        }
        return index
    }

    /// The index after the string that opens at `start`, or `nil` when it is not closed.
    private static func stringEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case Self.quote: return index + 1
            default: index += 1
            }
        }
        return nil
    }

    /// The index after the value that starts at `start`, or `nil` when it is cut short.
    private static func valueEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var depth = 0
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case Self.quote:
                guard let end = Self.stringEnd(bytes, from: index) else { return nil }
                index = end
                if depth == 0 { return index }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return index }
                depth -= 1
                if depth == 0 { return index + 1 }
            case UInt8(ascii: ","), 0x20, 0x09, 0x0A, 0x0D:
                if depth == 0 { return index }
            default:
                break
            }
            index += 1
        }
        return depth == 0 ? index : nil
    }
}

import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Cuts a stream of input chunks into lines without copying them: each complete line is a slice of the
/// chunk it ended in. Only a line that spans chunks is copied, once, into a carry buffer.
///
/// LF ends a line and a CR before it is dropped, so CRLF input sends the same messages as LF input.
public struct LineSplitter: Sendable {
    private var carry: ByteBuffer?
    /// Lines returned so far, for error messages that name a line.
    public private(set) var lineCount = 0

    /// A splitter at the start of the input.
    public init() {}

    /// Returns the lines that `chunk` completes, in order; a trailing partial line is kept for later.
    public mutating func split(_ chunk: ByteBuffer) -> [ByteBuffer] {
        var lines: [ByteBuffer] = []
        var rest = chunk
        while let length = Self.distanceToNewline(rest) {
            var line = rest.readSlice(length: length)!
            rest.moveReaderIndex(forwardBy: 1)
            if var carried = self.carry {
                self.carry = nil
                carried.writeBuffer(&line)
                line = carried
            }
            lines.append(Self.droppingCR(line))
        }
        if rest.readableBytes > 0 {
            if self.carry == nil {
                self.carry = rest
            } else {
                self.carry!.writeBuffer(&rest)
            }
        }
        self.lineCount += lines.count
        return lines
    }

    /// Returns the last line if the input did not end with a newline.
    public mutating func finish() -> ByteBuffer? {
        guard let last = self.carry else { return nil }
        self.carry = nil
        self.lineCount += 1
        return Self.droppingCR(last)
    }

    private static func distanceToNewline(_ buffer: ByteBuffer) -> Int? {
        buffer.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress, let found = memchr(base, 0x0A, bytes.count) else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
    }

    private static func droppingCR(_ line: ByteBuffer) -> ByteBuffer {
        guard line.readableBytesView.last == 0x0D else { return line }
        var trimmed = line
        trimmed.moveWriterIndex(to: trimmed.writerIndex - 1)
        return trimmed
    }
}

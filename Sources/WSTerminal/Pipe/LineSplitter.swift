import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Cuts input into lines without copying them: each line is a slice of the buffer it was read into.
///
/// The caller reads into ``bufferForNextRead(minimumSpace:)``, which holds the start of an unfinished line
/// followed by free space, so a long line grows in place across reads and is never copied piece by piece.
/// Only the tail that follows the last complete line of a read is copied, into a fresh buffer sized for a
/// line like the one before it, because the old buffer is now shared with the lines handed out.
///
/// LF ends a line and a CR before it is dropped, so CRLF input sends the same messages as LF input.
public struct LineSplitter: Sendable {
    /// The unfinished line, at the start of the buffer the next read appends to.
    private var partial: ByteBuffer?
    /// How many bytes of the unfinished line are known to hold no newline, so that a long line is
    /// searched once, not again after every read.
    private var searched = 0
    /// The longest line seen so far, to size the buffer that receives the next one.
    public private(set) var longestLine = 0
    /// Lines returned so far, for error messages that name a line.
    public private(set) var lineCount = 0

    /// A splitter at the start of the input.
    public init() {}

    /// The buffer to read into: the unfinished line so far, with at least `minimumSpace` bytes free after it.
    /// Hand it back to ``split(_:)`` once the read appended to it.
    public mutating func bufferForNextRead(minimumSpace: Int) -> ByteBuffer {
        guard var buffer = self.partial else {
            return ByteBufferAllocator().buffer(capacity: max(minimumSpace, self.longestLine + 1))
        }
        self.partial = nil
        buffer.reserveCapacity(minimumWritableBytes: minimumSpace)
        return buffer
    }

    /// Returns the lines that the read completed, in order; the unfinished rest is kept for the next read.
    public mutating func split(_ buffer: ByteBuffer) -> [ByteBuffer] {
        var rest = buffer
        var lines: [ByteBuffer] = []
        var searchFrom = self.searched
        while let length = Self.distanceToNewline(rest, from: searchFrom) {
            let line = rest.readSlice(length: length)!
            rest.moveReaderIndex(forwardBy: 1)
            self.longestLine = max(self.longestLine, length)
            lines.append(Self.droppingCR(line))
            searchFrom = 0
        }
        self.searched = rest.readableBytes
        if rest.readableBytes > 0 {
            if lines.isEmpty {
                self.partial = rest
            } else {
                var fresh = ByteBufferAllocator().buffer(capacity: max(rest.readableBytes, self.longestLine + 1))
                fresh.writeBuffer(&rest)
                self.partial = fresh
            }
        }
        self.lineCount += lines.count
        return lines
    }

    /// Takes back the buffer of the read that found the end of input, and returns the last line if the
    /// input did not end with a newline.
    public mutating func finish(_ lastBuffer: ByteBuffer) -> ByteBuffer? {
        self.partial = nil
        self.searched = 0
        guard lastBuffer.readableBytes > 0 else { return nil }
        self.lineCount += 1
        return Self.droppingCR(lastBuffer)
    }

    /// The offset of the first newline at or after `start`, counted from the buffer's reader index.
    private static func distanceToNewline(_ buffer: ByteBuffer, from start: Int) -> Int? {
        buffer.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress, start < bytes.count,
                let found = memchr(base + start, 0x0A, bytes.count - start)
            else { return nil }
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

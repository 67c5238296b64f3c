import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Cuts input into lines without copying them: each line is a slice of the buffer it was read into.
///
/// The caller reads into ``bufferForNextRead(minimumSpace:)``, which holds the start of an unfinished line
/// followed by free space, so a line grows in place across reads. Only the tail that follows the last
/// complete line of a read is copied, into a fresh buffer sized for a line like the one before it, because
/// the old buffer is now shared with the lines handed out.
///
/// A line longer than ``maximumPieceSize`` is handed out in pieces of about that size as it is read, so
/// memory and the work per read stay bounded whatever the line's length (a line from `/dev/zero` never ends).
///
/// LF ends a line and a CR before it is dropped, so CRLF input sends the same messages as LF input. With NUL
/// as the separator (`-0`, for `find -print0`), NUL ends a record and every other byte, CR and LF too, is kept.
public struct LineSplitter: Sendable {
    /// A line, or a piece of a line too long to hold whole.
    public struct Piece: Sendable {
        /// The bytes, without the line's end.
        public var bytes: ByteBuffer
        /// Whether the line ends here; false for a piece that more of the same line follows.
        public var endsLine: Bool
    }

    /// The unfinished line past which it is handed out in pieces.
    public let maximumPieceSize: Int
    /// The byte that ends a line: LF, or NUL.
    public let separator: UInt8
    /// The unfinished line, at the start of the buffer the next read appends to.
    private var partial: ByteBuffer?
    /// How many bytes of the unfinished line are known to hold no newline, so that a long line is
    /// searched once, not again after every read.
    private var searched = 0
    /// Whether pieces of the current line went out already, so that even an empty rest must end it.
    private var lineInPieces = false
    /// The longest line seen so far, finished or not (at most ``maximumPieceSize`` for a line in pieces), to
    /// size the reads and the buffer that receives the next line.
    public private(set) var longestLine = 0
    /// Lines ended so far, for error messages that name a line.
    public private(set) var lineCount = 0

    /// A splitter at the start of the input, for lines that end with LF (or records that end with NUL).
    public init(separator: UInt8 = 0x0A, maximumPieceSize: Int = 1 << 20) {
        self.separator = separator
        self.maximumPieceSize = maximumPieceSize
    }

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

    /// Takes back a buffer from ``bufferForNextRead(minimumSpace:)`` that no read appended to.
    public mutating func putBack(_ buffer: ByteBuffer) {
        self.partial = buffer.readableBytes > 0 ? buffer : nil
    }

    /// Returns the lines that the read completed, in order, then a piece of the unfinished line when it has
    /// grown past ``maximumPieceSize``; the rest is kept for the next read.
    public mutating func split(_ buffer: ByteBuffer) -> [Piece] {
        var rest = buffer
        var pieces: [Piece] = []
        var searchFrom = self.searched
        while let length = self.distanceToSeparator(rest, from: searchFrom) {
            let line = rest.readSlice(length: length)!
            rest.moveReaderIndex(forwardBy: 1)
            self.longestLine = max(self.longestLine, length)
            pieces.append(Piece(bytes: self.droppingCR(line), endsLine: true))
            self.lineInPieces = false
            searchFrom = 0
        }
        self.lineCount += pieces.count
        self.longestLine = max(self.longestLine, min(rest.readableBytes, self.maximumPieceSize))
        if rest.readableBytes >= self.maximumPieceSize {
            // A CR at the end may be half of a CRLF: it stays for the next read to decide.
            let keep = self.separator == 0x0A && rest.readableBytesView.last == 0x0D ? 1 : 0
            pieces.append(Piece(bytes: rest.readSlice(length: rest.readableBytes - keep)!, endsLine: false))
            self.lineInPieces = true
        }
        self.searched = rest.readableBytes
        if rest.readableBytes > 0 {
            if pieces.isEmpty {
                self.partial = rest
            } else {
                var fresh = ByteBufferAllocator().buffer(capacity: max(rest.readableBytes, self.longestLine + 1))
                fresh.writeBuffer(&rest)
                self.partial = fresh
            }
        }
        return pieces
    }

    /// Takes back the buffer of the read that found the end of input, and returns the end of the last line
    /// if the input did not end with a newline.
    public mutating func finish(_ lastBuffer: ByteBuffer) -> Piece? {
        self.partial = nil
        self.searched = 0
        guard lastBuffer.readableBytes > 0 || self.lineInPieces else { return nil }
        self.lineInPieces = false
        self.lineCount += 1
        return Piece(bytes: self.droppingCR(lastBuffer), endsLine: true)
    }

    /// The offset of the first separator at or after `start`, counted from the buffer's reader index.
    private func distanceToSeparator(_ buffer: ByteBuffer, from start: Int) -> Int? {
        buffer.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress, start < bytes.count,
                let found = memchr(base + start, Int32(self.separator), bytes.count - start)
            else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
    }

    private func droppingCR(_ line: ByteBuffer) -> ByteBuffer {
        guard self.separator == 0x0A, line.readableBytesView.last == 0x0D else { return line }
        var trimmed = line
        trimmed.moveWriterIndex(to: trimmed.writerIndex - 1)
        return trimmed
    }
}

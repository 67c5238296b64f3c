import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Collects output for a file descriptor (stdout) and writes it in batches on NIO's blocking thread pool.
///
/// Small pieces are copied into one batch buffer so a burst of short messages costs one `write(2)`; large
/// payloads are queued as they are, without a copy. The owner calls ``flush()`` when input goes idle, so a
/// reader downstream sees every message as soon as no more are immediately pending.
public struct OutputWriter: Sendable {
    /// Pieces at least this large are queued rather than copied.
    private static let copyLimit = 16 * 1024
    /// Pending output past which ``append(_:)`` callers should flush without waiting for idle. 64 KiB (a
    /// pipe's buffer) is already one `write(2)` per thousand short messages; more only held more memory.
    private static let flushThreshold = 64 * 1024

    private let descriptor: Int32
    private var queued: [ByteBuffer] = []
    private var batch: ByteBuffer
    private var pendingBytes = 0
    /// Whether what a peer sent is escaped on its way out, because it goes to a terminal.
    let escapesForTerminal: Bool

    /// Whether standard output is a terminal, which obeys the control characters a message may hold.
    static let standardOutputIsTerminal = isatty(STDOUT_FILENO) == 1

    /// An empty writer for `descriptor`.
    public init(descriptor: Int32) {
        self.descriptor = descriptor
        self.batch = ByteBufferAllocator().buffer(capacity: Self.copyLimit)
        self.escapesForTerminal = descriptor == STDOUT_FILENO && Self.standardOutputIsTerminal
    }

    /// Whether enough is pending that waiting for idle would hold back too much.
    public var isFull: Bool { self.pendingBytes >= Self.flushThreshold }

    /// Adds bytes to the pending output.
    public mutating func append(_ bytes: ByteBuffer) {
        self.pendingBytes += bytes.readableBytes
        if bytes.readableBytes < Self.copyLimit {
            self.batch.writeImmutableBuffer(bytes)
            return
        }
        self.queueBatch()
        self.queued.append(bytes)
    }

    /// Adds one byte, such as the newline after a text message.
    public mutating func append(byte: UInt8) {
        self.pendingBytes += 1
        self.batch.writeInteger(byte)
    }

    /// Adds what `write` appends to a buffer: to the batch when `estimatedCount` is small, else to a buffer of
    /// its own that is queued without a copy.
    public mutating func append(estimatedCount: Int, _ write: (inout ByteBuffer) -> Void) {
        guard estimatedCount >= Self.copyLimit else {
            let before = self.batch.readableBytes
            write(&self.batch)
            self.pendingBytes += self.batch.readableBytes - before
            return
        }
        var piece = ByteBufferAllocator().buffer(capacity: estimatedCount)
        write(&piece)
        self.append(piece)
    }

    /// Adds the UTF-8 of `text`.
    public mutating func append(_ text: String) {
        self.pendingBytes += text.utf8.count
        self.batch.writeString(text)
    }

    /// Writes everything pending. Throws ``OutputClosedError`` when the reader went away (EPIPE).
    public mutating func flush() async throws {
        self.queueBatch()
        guard !self.queued.isEmpty else { return }
        let pieces = self.queued
        self.queued = []
        self.pendingBytes = 0
        let descriptor = self.descriptor
        try await NIOThreadPool.singleton.runIfActive {
            for piece in pieces {
                try Self.writeAll(piece, to: descriptor)
            }
        }
    }

    private mutating func queueBatch() {
        guard self.batch.readableBytes > 0 else { return }
        self.queued.append(self.batch)
        self.batch = ByteBufferAllocator().buffer(capacity: Self.copyLimit)
    }

    private static func writeAll(_ piece: ByteBuffer, to descriptor: Int32) throws {
        do {
            try piece.withUnsafeReadableBytes { (bytes) throws(DescriptorWriter.Failure) in
                try DescriptorWriter.writeAll(bytes, to: descriptor)
            }
        } catch .readerGone {
            throw OutputClosedError()
        } catch .failed(let code) {
            throw OutputError(code: code)
        }
    }
}

/// Writing stdout failed for another reason than its reader going away, such as a full disk.
public struct OutputError: Error, Sendable, CustomStringConvertible {
    /// `errno` of the failed write.
    public let code: Int32

    /// `could not write to stdout: No space left on device`.
    public var description: String {
        "could not write to stdout: \(DescriptorWriter.Failure.failed(self.code))"
    }
}

/// The reader of our output went away (`wsc … | head -1`): not an error to report, a reason to stop.
public struct OutputClosedError: Error, Sendable {}

/// How received messages are written to stdout outside the REPL (`--format`).
public enum OutputFormat: Sendable {
    /// A text message followed by a newline, a binary message's bytes as they are: for people and for
    /// line-based tools such as `grep`.
    case raw
    /// One JSON object per message and line (``JSONLine``): for programs, binary-safe and unambiguous when
    /// a message contains a newline.
    case jsonLines
}

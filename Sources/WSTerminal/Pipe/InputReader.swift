import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a file descriptor (stdin) in large chunks on NIO's blocking thread pool, one chunk per call, so
/// that input is only taken as fast as the caller sends it on: backpressure reaches the producer upstream.
/// The caller sizes the chunks.
///
/// A blocked read ends when the calling task is cancelled: the reader waits in `poll(2)` on the input and
/// on a wake-up pipe that cancellation writes to. Without that, a session closed by the server would leave
/// wsc hanging on a stdin that never sends anything.
public final class InputReader: Sendable {
    private let descriptor: Int32
    private let wakeUp: WakePipe

    /// Prepares to read `descriptor`. When it is a pipe, asks the kernel to let it hold 1 MiB rather than
    /// 64 KiB, so that the writer can run ahead while wsc sends and one read can take a long line whole.
    public init(descriptor: Int32) throws {
        self.descriptor = descriptor
        self.wakeUp = try WakePipe()
        Self.enlargePipe(descriptor)
    }

    /// `F_SETPIPE_SZ` (fcntl(2), Linux 2.6.35), which the Glibc module does not export.
    private static let setPipeSize: Int32 = 1031

    /// Best effort: the size is a hint, and the call fails for what is not a pipe, above the system's limit
    /// (`/proc/sys/fs/pipe-max-size`) or on other systems; reading works the same either way.
    private static func enlargePipe(_ descriptor: Int32) {
        #if os(Linux)
            var status = stat()
            guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFIFO else { return }
            _ = fcntl(descriptor, Self.setPipeSize, Int32(1 << 20))
        #endif
    }

    deinit {
        self.wakeUp.close()
    }

    /// What a read gives back: always the buffer, and whether the input has ended.
    public enum ReadResult: Sendable {
        /// More bytes were appended to the buffer.
        case data(ByteBuffer)
        /// The input ended; the buffer is as it was passed in.
        case endOfInput(ByteBuffer)
    }

    /// The read was cancelled; `buffer` is the one it was given, as it was, so that its caller can keep it
    /// (the unfinished line of a stdin read on by the next connection).
    public struct Interrupted: Error {
        public let buffer: ByteBuffer
    }

    /// Appends the next chunk, of at most `limit` bytes, to `buffer`. Throws ``Interrupted`` when the task is
    /// cancelled; a later read waits again.
    public func read(appendingTo buffer: consuming ByteBuffer, atMost limit: Int) async throws -> ReadResult {
        // A cancellation before this read, whose read never ran, may have left its wake-up byte: it is not
        // this read's. This one's comes after: `onCancel` runs at once for a task cancelled already.
        self.wakeUp.drain()
        let handoff = BufferHandoff(buffer)
        do {
            return try await withTaskCancellationHandler {
                try await NIOThreadPool.singleton.runIfActive {
                    try self.blockingRead(appendingTo: handoff.take()!, atMost: limit)
                }
            } onCancel: {
                self.wakeUp.wake()
            }
        } catch is CancellationError {
            // Cancelled before the pool ran the read: the buffer was never taken, and goes back.
            throw Interrupted(buffer: handoff.take() ?? ByteBuffer())
        }
    }

    private func blockingRead(appendingTo buffer: consuming ByteBuffer, atMost limit: Int) throws -> ReadResult {
        var buffer = buffer
        while true {
            var fds = [
                pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: self.wakeUp.readDescriptor, events: Int16(POLLIN), revents: 0),
            ]
            guard poll(&fds, 2, -1) >= 0 || errno == EINTR else {
                throw IOError(errnoCode: errno, reason: "poll")
            }
            if fds[1].revents != 0 {
                // Drained, so that the next read waits for the input again.
                self.wakeUp.drain()
                throw Interrupted(buffer: buffer)
            }
            guard fds[0].revents != 0 else { continue }
            var count = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: limit) { space in
                count = Glibc.read(self.descriptor, space.baseAddress, limit)
                return max(count, 0)
            }
            if count > 0 { return .data(buffer) }
            if count == 0 { return .endOfInput(buffer) }
            guard errno == EINTR || errno == EAGAIN else {
                throw IOError(errnoCode: errno, reason: "read")
            }
        }
    }
}

/// Moves a buffer into the thread-pool closure without a second reference to it, so that the read
/// appends in place instead of copying the whole buffer first (a captured value would stay referenced).
///
/// Unchecked: it is filled before the closure is submitted and emptied once inside it, never concurrently.
private final class BufferHandoff: @unchecked Sendable {
    private var buffer: ByteBuffer?

    init(_ buffer: consuming ByteBuffer) {
        self.buffer = buffer
    }

    /// The buffer, the first time; `nil` after.
    func take() -> ByteBuffer? {
        defer { self.buffer = nil }
        return self.buffer
    }
}

#if canImport(Glibc)
    import Glibc
#endif

/// The one way wsc writes all of a buffer to a file descriptor (stdout, stderr, the history file): it goes
/// on after a signal interrupted it (EINTR), waits in `poll(2)` while a non-blocking descriptor is full
/// (EAGAIN) instead of spinning, and says which other failure stopped it.
public enum DescriptorWriter {
    /// Why not everything could be written.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The reader went away (EPIPE): for stdout, a reason to stop, not an error.
        case readerGone
        /// Another error, with its `errno`.
        case failed(Int32)

        /// The `errno` of the failure (EPIPE for a reader gone).
        public var code: Int32 {
            switch self {
            case .readerGone: EPIPE
            case .failed(let code): code
            }
        }

        /// `No space left on device`, or why the reader is gone.
        public var description: String {
            switch self {
            case .readerGone: "the reader closed the pipe"
            case .failed(let code): String(cString: strerror(code))
            }
        }
    }

    /// Writes all of `bytes` to `descriptor`.
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) throws(Failure) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, base + offset, bytes.count - offset)
            if written >= 0 {
                offset += written
                continue
            }
            switch errno {
            case EINTR:
                continue
            case EAGAIN:
                var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&ready, 1, -1)
            case EPIPE:
                throw .readerGone
            case let code:
                throw .failed(code)
            }
        }
    }

    /// Writes all of `bytes` to `descriptor`.
    public static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(Failure) {
        let failure = bytes.withUnsafeBytes { raw -> Failure? in
            do throws(Failure) {
                try Self.writeAll(raw, to: descriptor)
                return nil
            } catch {
                return error
            }
        }
        if let failure {
            throw failure
        }
    }

    /// Points any of descriptors 0, 1 and 2 that is closed at `/dev/null`, so that wsc's input and output
    /// never land on a descriptor the process opened for something else (NIO's epoll and wake-up
    /// descriptors would take those numbers). Call it first thing, before anything opens a descriptor.
    public static func openMissingStandardDescriptors() {
        for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            // open(2) returns the lowest free number: this one, as the ones below it are open.
            _ = open("/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY)
        }
    }
}

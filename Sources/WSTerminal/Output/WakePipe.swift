#if canImport(Glibc)
    import Glibc
#endif

/// A pipe that only wakes a thread sleeping in `poll`: any thread writes a byte, the sleeper drains them all.
/// Both ends are non-blocking, so a full pipe (the sleeper is already due to wake) never blocks a writer.
/// The REPL's mailbox, a stdin read that can be cancelled, and the runner's signal handler each use one.
public struct WakePipe: Sendable {
    /// The end the sleeping thread polls.
    public let readDescriptor: Int32
    /// The end writers write to.
    public let writeDescriptor: Int32

    /// Opens the pipe.
    public init() throws(SystemCallError) {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else {
            throw SystemCallError("pipe")
        }
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        self.readDescriptor = descriptors[0]
        self.writeDescriptor = descriptors[1]
    }

    /// Makes the read end readable.
    public func wake() {
        var byte: UInt8 = 0
        while write(self.writeDescriptor, &byte, 1) < 0, errno == EINTR {}
    }

    /// Reads every byte written so far, returning them (a signal pipe carries signal numbers in them).
    @discardableResult
    public func drain() -> [UInt8] {
        var drained: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(self.readDescriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                drained.append(contentsOf: chunk[0..<count])
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return drained
            }
        }
    }

    /// Closes both ends; nobody may use the pipe afterwards.
    public func close() {
        closeDescriptor(self.readDescriptor)
        closeDescriptor(self.writeDescriptor)
    }
}

private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}

/// A system call wsc depends on failed; the description names the call and the reason.
public struct SystemCallError: Error, CustomStringConvertible {
    /// The call, such as `pipe`.
    public let call: String
    /// `errno` after it.
    public let code: Int32

    /// Records the failure of `call` with the current `errno`.
    init(_ call: String, code: Int32 = errno) {
        self.call = call
        self.code = code
    }

    /// `pipe failed: Too many open files`.
    public var description: String {
        "\(self.call) failed: \(String(cString: strerror(self.code)))"
    }
}

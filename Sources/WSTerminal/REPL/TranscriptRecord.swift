#if canImport(Glibc)
    import Glibc
#endif

/// The session's transcript as `/save` writes it: plain text, one line per row with LF line ends, every message
/// whole. It keeps the newest ``limit`` bytes; older lines are dropped whole, and counted.
struct TranscriptRecord {
    /// The most bytes kept.
    var limit: Int
    /// The transcript so far.
    private(set) var bytes: [UInt8] = []
    /// How many of the oldest lines were dropped to stay under ``limit``.
    private(set) var droppedLines = 0

    /// An empty record of at most `limit` bytes.
    init(limit: Int = 64 << 20) {
        self.limit = limit
    }

    /// Appends lines as the transcript builder made them (CR LF line ends).
    mutating func append(_ lines: [UInt8]) {
        self.bytes.reserveCapacity(self.bytes.count + lines.count)
        for byte in lines where byte != 0x0D {
            self.bytes.append(byte)
        }
        guard self.bytes.count > self.limit else {
            return
        }
        // Down to three quarters, so that a full record is not shifted for every message.
        let excess = self.bytes.count - self.limit * 3 / 4
        let cut = self.bytes[excess...].firstIndex(of: 0x0A).map { $0 + 1 } ?? self.bytes.count
        self.droppedLines += self.bytes[..<cut].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        self.bytes.removeSubrange(..<cut)
    }

    /// What went wrong writing the file.
    struct Failure: Error, CustomStringConvertible {
        /// The file.
        let path: String
        /// `errno`.
        let code: Int32

        /// `cannot write PATH: No such file or directory`.
        var description: String {
            "cannot write \(self.path): \(String(cString: strerror(self.code)))"
        }
    }

    /// Writes the transcript to `path`, replacing the file (created with mode 0600: messages may hold secrets).
    func save(to path: String) throws(Failure) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw Failure(path: path, code: errno)
        }
        defer { close(descriptor) }
        do throws(DescriptorWriter.Failure) {
            try DescriptorWriter.writeAll(self.bytes, to: descriptor)
        } catch {
            throw Failure(path: path, code: error.code)
        }
    }
}

import NIOCore
import WSEngine

#if canImport(Glibc)
    import Glibc
#endif

/// A file sent as one message (`--send-file`); `-` is all of stdin.
///
/// It is read a chunk at a time, each read awaiting the send before it: a file that fits in one chunk goes
/// as one message, a larger one as a fragmented message, a chunk per frame (RFC 6455 section 5.4), so memory
/// stays at about a chunk whatever the size. Text is checked as UTF-8 chunk by chunk: a file of one chunk is
/// checked before anything is sent; in a larger one, the fragments before the bad byte have gone out, the
/// message is left unfinished and the session's Close follows, so the peer never receives invalid text.
public struct FileMessage {
    /// The most read before it is sent: one frame of a fragmented message.
    static let chunkSize = 1 << 20

    /// The file's path, or `-` for stdin.
    let path: String
    /// Send as text (`--text`), checked to be UTF-8, rather than binary.
    let asText: Bool
    /// Show the progress line on stderr for a large file.
    let showsProgress: Bool

    /// The file as messages name it: `the file 'a.bin'`, or `stdin`.
    public static func name(_ path: String) -> String {
        path == "-" ? "stdin" : "the file '\(path)'"
    }

    /// Why the file at `path` cannot be sent, in a few words (`No such file or directory`), or `nil` when it
    /// can be read; checked before connecting, without opening it (a FIFO's writer would notice).
    public static func problem(reading path: String) -> String? {
        guard path != "-" else { return nil }
        var status = stat()
        guard stat(path, &status) == 0, access(path, R_OK) == 0 else { return String(cString: strerror(errno)) }
        return status.st_mode & S_IFMT == S_IFDIR ? "it is a directory" : nil
    }

    /// Sends the file through `writer`. `record` hears the message's size: the file's at once when it is a
    /// regular file, else what has gone out so far, after each chunk. Throws ``InputError`` for a file that
    /// cannot be read or, as text, is not UTF-8.
    func send(through writer: SessionWriter, recording record: (Int) -> Void) async throws {
        try await self.send({ try await writer.send($0) }, recording: record)
    }

    /// ``send(through:recording:)`` with each command handed to `send`: the REPL's ordered sender.
    func send(_ send: (SessionCommand) async throws -> Void, recording record: (Int) -> Void) async throws {
        let descriptor = self.path == "-" ? STDIN_FILENO : open(self.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw InputError.unreadable(file: self.path, code: errno) }
        defer { if descriptor != STDIN_FILENO { close(descriptor) } }
        let total = Self.regularFileSize(descriptor)
        if let total { record(total) }
        let reader = try InputReader(descriptor: descriptor)
        var progress = self.showsProgress ? SendProgress(name: Self.name(self.path), total: total) : nil
        defer { progress?.finish() }
        var validator = UTF8Validator()
        var sent = 0
        var first = true
        while true {
            let (chunk, ended) = try await self.fill(from: reader)
            if self.asText {
                let valid = chunk.withUnsafeReadableBytes { validator.consume($0) }
                guard valid && (!ended || validator.isAtBoundary) else { throw InputError.invalidUTF8(file: self.path) }
            }
            let command: SessionCommand =
                if first && ended {
                    self.asText ? .text(chunk) : .binary(chunk)
                } else {
                    .fragment(chunk, binary: !self.asText, first: first, final: ended)
                }
            sent += chunk.readableBytes
            try await send(command)
            record(sent)
            progress?.update(sent: sent)
            if ended { return }
            first = false
        }
    }

    /// Reads until a chunk is full or the file ends; says which.
    private func fill(from reader: InputReader) async throws -> (ByteBuffer, ended: Bool) {
        var buffer = ByteBufferAllocator().buffer(capacity: Self.chunkSize)
        do {
            while true {
                let room = Self.chunkSize - buffer.readableBytes
                guard room > 0 else { return (buffer, false) }
                switch try await reader.read(appendingTo: consume buffer, atMost: room) {
                case .data(let filled):
                    buffer = filled
                case .endOfInput(let last):
                    return (last, true)
                }
            }
        } catch let error as IOError {
            throw InputError.unreadable(file: self.path, code: error.errnoCode)
        }
    }

    /// The size of a regular file; `nil` for a pipe, a terminal or a device, whose end is known only at EOF.
    private static func regularFileSize(_ descriptor: Int32) -> Int? {
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(status.st_size)
    }
}

/// The line on stderr that shows how far a large file has gone, rewritten in place a few times a second and
/// erased once the file is sent: `wsc: sending the file 'a.iso': 48.0 of 700.0 MiB (6%), 112.3 MiB/s`.
private struct SendProgress {
    /// Files smaller than this (or, of unknown size, until this much is sent) show no line.
    static let threshold = 4 << 20
    /// The least time between two versions of the line.
    static let interval: Duration = .milliseconds(250)

    let name: String
    let total: Int?
    private let start = ContinuousClock.now
    private var shownAt: ContinuousClock.Instant?

    init(name: String, total: Int?) {
        self.name = TerminalEscaping.escaped(name)
        self.total = total
    }

    /// Shows `sent` bytes, unless the line was shown only just now.
    mutating func update(sent: Int) {
        guard (self.total ?? sent) >= Self.threshold else { return }
        let now = ContinuousClock.now
        if let shownAt, now - shownAt < Self.interval { return }
        self.shownAt = now
        let elapsed = (now - self.start) / .milliseconds(1) / 1000
        var line = "\r\u{1B}[Kwsc: sending \(self.name): \(Self.mebibytes(Double(sent)))"
        if let total {
            line += " of \(Self.mebibytes(Double(total))) MiB (\(sent * 100 / max(total, 1))%)"
        } else {
            line += " MiB"
        }
        if elapsed > 0 {
            line += ", \(Self.mebibytes(Double(sent) / elapsed)) MiB/s"
        }
        Self.write(line)
    }

    /// Erases the line, if it was shown.
    func finish() {
        if self.shownAt != nil {
            Self.write("\r\u{1B}[K")
        }
    }

    /// `12.3`: mebibytes with one decimal.
    private static func mebibytes(_ bytes: Double) -> String {
        let tenths = Int((bytes / Double(1 << 20) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// Best effort: a progress line that cannot be written is not worth stopping for.
    private static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            try? DescriptorWriter.writeAll(UnsafeRawBufferPointer(bytes), to: STDERR_FILENO)
        }
    }
}

import NIOCore
import WSEngine

#if canImport(Glibc)
    import Glibc
#endif

/// Standard input as batches of messages, one line (or, with `-0`, one NUL-terminated record) each, for the
/// pipe front end and for `--listen`.
///
/// Reads in large chunks and hands over every line a chunk completes as one batch, so that the caller's
/// send, awaited before the next read, paces the reading of stdin. A line longer than the splitter's piece
/// size is sent as a fragmented message, a piece at a time as it is read (RFC 6455 section 5.4), so that
/// memory stays bounded whatever the line's length.
struct StandardInputMessages: Sendable {
    /// Send lines as binary messages (`--binary`) rather than text.
    let binary: Bool
    /// Split at NUL bytes instead of newlines (`-0`).
    var splitsAtNUL = false

    /// The message for one line or `-x` argument.
    func command(_ payload: ByteBuffer) -> SessionCommand {
        self.binary ? .binary(payload) : .text(payload)
    }

    /// Calls `send` with each batch until the end of input. In text mode a line that is not UTF-8 stops
    /// the input: the lines before it are still sent, then the ``InputError`` naming it is thrown (a long
    /// line's pieces before the bad one have gone out; its message is left unfinished, and the session's
    /// Close follows).
    func forEachBatch(_ send: ([SessionCommand]) async throws -> Void) async throws {
        try await self.forEachBatch(from: StandardInputCursor(self), send)
    }

    /// ``forEachBatch(_:)`` from where `cursor` stopped: the batch whose send failed first, then the rest of
    /// stdin. A send that fails leaves its batch in the cursor, for the next connection (`--reconnect`).
    func forEachBatch(from cursor: StandardInputCursor, _ send: ([SessionCommand]) async throws -> Void) async throws {
        func keeping(_ batch: [SessionCommand]) async throws {
            do {
                try await send(batch)
            } catch {
                cursor.unsent = batch
                throw error
            }
        }
        cursor.resume()
        if !cursor.unsent.isEmpty {
            let batch = cursor.unsent
            cursor.unsent = []
            try await keeping(batch)
        }
        guard !cursor.ended else { return }
        let reader = try cursor.reader ?? InputReader(descriptor: STDIN_FILENO)
        cursor.reader = reader
        while true {
            let size = Self.readSize(longestLine: cursor.splitter.longestLine)
            let firstLine = cursor.splitter.lineCount + 1
            let buffer = cursor.splitter.bufferForNextRead(minimumSpace: size)
            let result: InputReader.ReadResult
            do {
                result = try await reader.read(appendingTo: buffer, atMost: size)
            } catch let interrupted as InputReader.Interrupted {
                cursor.splitter.putBack(interrupted.buffer)
                throw CancellationError()
            }
            switch result {
            case .data(let filled):
                let pieces = cursor.splitter.split(filled)
                try await cursor.pieces.send(pieces, firstLine: firstLine, keeping)
            case .endOfInput(let unfinished):
                cursor.ended = true
                if let last = cursor.splitter.finish(unfinished) {
                    try await cursor.pieces.send([last], firstLine: firstLine, keeping)
                }
                return
            }
        }
    }

    /// How much one read of stdin may take: as much as the longest line so far, from 32 KiB to 1 MiB. Short
    /// lines then make small batches (and small frames encoded from them); reads of 64 KiB held 0.4 MiB more
    /// at the peak, for no more speed. A long line takes one read instead of one per 64 KiB, each of which
    /// is a round trip through NIO's thread pool.
    static func readSize(longestLine: Int) -> Int {
        min(max(longestLine + 1, 32 * 1024), 1024 * 1024)
    }
}

/// Where reading stdin stopped, so that `--reconnect` goes on with the next connection: the reader, the
/// unfinished line, and the batch whose sending failed when the connection dropped. Used by one task at a
/// time: the sender of the connection of the moment.
public final class StandardInputCursor: @unchecked Sendable {
    var reader: InputReader?
    var splitter: LineSplitter
    var pieces: PieceEncoder
    var ended = false
    /// The batch that was being sent when the connection dropped; sent first on the next one.
    var unsent: [SessionCommand] = []
    /// Whether a connection read from this cursor before.
    private var started = false

    init(_ messages: StandardInputMessages) {
        self.splitter = LineSplitter(separator: messages.splitsAtNUL ? 0 : 0x0A)
        self.pieces = PieceEncoder(binary: messages.binary, splitsAtNUL: messages.splitsAtNUL)
    }

    /// A cursor for stdin read as `options` say, for every connection of a run.
    public convenience init(options: PipeOptions) {
        self.init(StandardInputMessages(binary: options.binary, splitsAtNUL: options.splitsAtNUL))
    }

    /// Called as each connection starts reading. After the first, a message sent in pieces (a line over
    /// 1 MiB) cannot go on over the new connection: its pieces still unsent are dropped, and so is the rest of
    /// that line as it is read.
    func resume() {
        guard self.started else {
            self.started = true
            return
        }
        while case .fragment(_, _, let first, let final)? = self.unsent.first, !first {
            self.unsent.removeFirst()
            if final { break }
        }
        // The pieces of the message the batch leaves unfinished: after the last command that ends a message.
        let unfinished = self.unsent.reversed().prefix { command in
            if case .fragment(_, _, _, let final) = command { !final } else { false }
        }
        self.unsent.removeLast(unfinished.count)
        self.pieces.abandonMessage()
    }
}

/// Turns lines and pieces of lines into commands: a line into a message, the pieces of a long line into the
/// fragments of one; checks text as UTF-8, piece by piece.
struct PieceEncoder {
    let binary: Bool
    /// Whether the input is NUL-separated records, not lines, for the error that names one.
    let splitsAtNUL: Bool
    /// Whether the first piece of a line went out and its last has not.
    private var inMessage = false
    /// Whether the pieces of the current line are dropped: its message was cut by a dropped connection.
    private var skipping = false
    private var validator = UTF8Validator()

    /// The message being sent in pieces cannot be finished: the rest of its line is dropped.
    mutating func abandonMessage() {
        self.skipping = self.inMessage
        self.inMessage = false
        self.validator = UTF8Validator()
    }

    init(binary: Bool, splitsAtNUL: Bool) {
        self.binary = binary
        self.splitsAtNUL = splitsAtNUL
    }

    /// Sends the commands for `pieces`, the first of which belongs to line `firstLine`; stops at a line that
    /// is not UTF-8 in text mode, after sending what came before it, and throws.
    mutating func send(
        _ pieces: [LineSplitter.Piece],
        firstLine: Int,
        _ send: ([SessionCommand]) async throws -> Void
    ) async throws {
        var commands: [SessionCommand] = []
        commands.reserveCapacity(pieces.count)
        var line = firstLine
        for piece in pieces {
            if self.skipping {
                self.skipping = !piece.endsLine
                line += piece.endsLine ? 1 : 0
                continue
            }
            guard self.isValid(piece) else {
                try await send(commands)
                throw InputError.invalidUTF8(line: line, record: self.splitsAtNUL)
            }
            if piece.endsLine && !self.inMessage {
                commands.append(self.binary ? .binary(piece.bytes) : .text(piece.bytes))
            } else {
                commands.append(
                    .fragment(piece.bytes, binary: self.binary, first: !self.inMessage, final: piece.endsLine)
                )
                self.inMessage = !piece.endsLine
            }
            if piece.endsLine {
                line += 1
            }
        }
        try await send(commands)
    }

    private mutating func isValid(_ piece: LineSplitter.Piece) -> Bool {
        guard !self.binary else { return true }
        if piece.endsLine && !self.inMessage {
            return piece.bytes.withUnsafeReadableBytes { UTF8Validator.isValid($0) }
        }
        let valid = piece.bytes.withUnsafeReadableBytes { self.validator.consume($0) }
        defer { if piece.endsLine { self.validator = UTF8Validator() } }
        return valid && (!piece.endsLine || self.validator.isAtBoundary)
    }
}

/// Input that cannot be sent as asked, such as a line that is not UTF-8 in text mode, or a file that cannot
/// be read.
public struct InputError: Error, Sendable, CustomStringConvertible {
    /// What is wrong with the input and what to do instead.
    public let description: String

    /// A line (or NUL-separated record) that is not valid UTF-8 cannot be a text message (RFC 6455 section 5.6).
    static func invalidUTF8(line: Int, record: Bool) -> Self {
        let what = record ? "record" : "line"
        return Self(description: "stdin \(what) \(line) is not valid UTF-8; use --binary to send binary data")
    }

    /// A file to send as text is not UTF-8; without `--text` it goes as binary.
    static func invalidUTF8(file: String) -> Self {
        Self(description: "\(FileMessage.name(file)) is not valid UTF-8, so it cannot be sent with --text")
    }

    /// A file to send could not be opened or read; `code` is the `errno`.
    static func unreadable(file: String, code: Int32) -> Self {
        Self(description: "cannot read \(FileMessage.name(file)): \(String(cString: strerror(code)))")
    }
}

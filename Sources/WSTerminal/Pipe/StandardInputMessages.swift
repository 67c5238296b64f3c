import NIOCore
import WSEngine

#if canImport(Glibc)
    import Glibc
#endif

/// Standard input as batches of messages, one line each, for the pipe front end and for `--listen`.
///
/// Reads in large chunks and hands over every line a chunk completes as one batch, so that the caller's
/// send, awaited before the next read, paces the reading of stdin.
struct StandardInputMessages: Sendable {
    /// Send lines as binary messages (`--binary`) rather than text.
    let binary: Bool

    /// The message for one line or `-x` argument.
    func command(_ payload: ByteBuffer) -> SessionCommand {
        self.binary ? .binary(payload) : .text(payload)
    }

    /// Calls `send` with each batch until the end of input. In text mode a line that is not UTF-8 stops
    /// the input: the lines before it are still sent, then the ``InputError`` naming it is thrown.
    func forEachBatch(_ send: ([SessionCommand]) async throws -> Void) async throws {
        let reader = try InputReader(descriptor: STDIN_FILENO)
        var splitter = LineSplitter()
        while true {
            let size = Self.readSize(longestLine: splitter.longestLine)
            switch try await reader.read(appendingTo: splitter.bufferForNextRead(minimumSpace: size), atMost: size) {
            case .data(let filled):
                let firstLine = splitter.lineCount + 1
                try await self.send(splitter.split(filled), firstLine: firstLine, send)
            case .endOfInput(let unfinished):
                if let last = splitter.finish(unfinished) {
                    try await self.send([last], firstLine: splitter.lineCount, send)
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

    private func send(
        _ lines: [ByteBuffer],
        firstLine: Int,
        _ send: ([SessionCommand]) async throws -> Void
    ) async throws {
        let invalid =
            self.binary ? nil : lines.firstIndex { !$0.withUnsafeReadableBytes { UTF8Validator.isValid($0) } }
        try await send(lines[..<(invalid ?? lines.endIndex)].map(self.command))
        if let invalid {
            throw InputError.invalidUTF8(line: firstLine + invalid)
        }
    }
}

import NIOCore
import WSEngine

#if canImport(Glibc)
    import Glibc
#endif

/// Stdout shared by every client of `--listen`: messages are appended whole, so lines of different
/// clients never interleave, and flushes go out one after another in order.
actor SharedOutput {
    private let format: OutputFormat
    private let timestamps: Bool
    private var writer = OutputWriter(descriptor: STDOUT_FILENO)
    /// The flush in progress; the next one waits for it, as the actor may run other calls meanwhile.
    private var lastFlush: Task<Void, any Error>?

    init(format: OutputFormat, timestamps: Bool) {
        self.format = format
        self.timestamps = timestamps
    }

    /// Appends a message received from `client` (its address); flushes when enough is pending.
    func append(_ event: SessionEvent, from client: String) async throws {
        _ = self.writer.appendMessage(event, format: self.format, timestamp: self.timestamps, client: client)
        if self.writer.isFull {
            try await self.flush()
        }
    }

    /// Writes everything appended so far. Throws ``OutputClosedError`` once nobody reads stdout.
    func flush() async throws {
        let pending = self.writer
        self.writer = OutputWriter(descriptor: STDOUT_FILENO)
        let previous = self.lastFlush
        let flush = Task {
            try await previous?.value
            var pending = pending
            try await pending.flush()
        }
        self.lastFlush = flush
        try await flush.value
    }
}

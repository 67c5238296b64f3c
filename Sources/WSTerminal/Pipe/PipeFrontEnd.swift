import NIOConcurrencyHelpers
import NIOCore
import WSEngine

#if canImport(Glibc)
import Glibc
#endif

/// The front end for scripts and pipelines: input lines become messages, received messages go to stdout.
///
/// Two tasks share the session: one sends (the `-x` messages, then stdin, then the Close), one prints
/// events. Sending awaits the writer, so a slow server slows the reading of stdin instead of filling
/// memory; printing flushes whenever the socket has nothing more pending.
public struct PipeFrontEnd: Sendable {
    private let options: PipeOptions
    /// When the last message arrived, so the linger after input can wait for the server to go quiet.
    private let lastReceived = NIOLockedValueBox(ContinuousClock.now)

    /// Creates the front end.
    public init(options: PipeOptions) {
        self.options = options
    }

    /// Runs until the session closes (or stdout goes away), and says how it ended.
    public func run(events: SessionEvents, writer: SessionWriter) async throws -> PipeOutcome {
        try await withThrowingTaskGroup(of: InputError?.self) { group in
            group.addTask {
                try await self.sendInput(writer: writer)
            }
            var outcome = try await self.printEvents(events, closingWith: writer)
            group.cancelAll()
            while let result = try? await group.next() {
                outcome.inputError = outcome.inputError ?? result
            }
            return outcome
        }
    }

    /// Sends everything, then closes; an input error closes early and is returned.
    private func sendInput(writer: SessionWriter) async throws -> InputError? {
        var failure: InputError?
        do {
            let allocator = ByteBufferAllocator()
            try await writer.send(contentsOf: self.options.executeMessages.map { self.command(allocator.buffer(string: $0)) })
            if self.options.readsStandardInput {
                try await self.sendStandardInput(writer: writer)
            }
            try await self.linger()
        } catch let error as InputError {
            failure = error
        }
        try await writer.send(.close(.normalClosure, reason: ""))
        return failure
    }

    /// Waits until nothing has arrived for the `--wait` period. Closing at once would lose replies still
    /// in flight: many servers (Python's `websockets` among them) answer a Close before sending what they
    /// have not sent yet.
    private func linger() async throws {
        guard let wait = self.options.waitAfterInput else {
            try await Task.sleep(for: .seconds(Int64.max / 2))
            return
        }
        let inputEnded = ContinuousClock.now
        while true {
            let quietSince = max(inputEnded, self.lastReceived.withLockedValue { $0 })
            let deadline = quietSince + wait
            guard deadline > .now else { return }
            try await Task.sleep(until: deadline)
        }
    }

    private func sendStandardInput(writer: SessionWriter) async throws {
        let reader = try InputReader(descriptor: STDIN_FILENO)
        var splitter = LineSplitter()
        while let chunk = try await reader.read() {
            let firstLine = splitter.lineCount + 1
            try await writer.send(contentsOf: try self.commands(for: splitter.split(chunk), firstLine: firstLine))
        }
        if let last = splitter.finish() {
            try await writer.send(contentsOf: try self.commands(for: [last], firstLine: splitter.lineCount))
        }
    }

    private func commands(for lines: [ByteBuffer], firstLine: Int) throws(InputError) -> [SessionCommand] {
        if !self.options.binary {
            for (offset, line) in lines.enumerated() where !line.withUnsafeReadableBytes({ UTF8Validator.isValid($0) }) {
                throw .invalidUTF8(line: firstLine + offset)
            }
        }
        return lines.map(self.command)
    }

    private func command(_ payload: ByteBuffer) -> SessionCommand {
        self.options.binary ? .binary(payload) : .text(payload)
    }

    private func noteReceived() {
        self.lastReceived.withLockedValue { $0 = .now }
    }

    /// Prints events until the session closes. If stdout goes away, the session is closed too.
    private func printEvents(_ events: SessionEvents, closingWith writer: SessionWriter) async throws -> PipeOutcome {
        var output = OutputWriter(descriptor: STDOUT_FILENO)
        var close: CloseReport?
        do {
            for try await event in events {
                switch event {
                case .text(let payload):
                    self.noteReceived()
                    output.append(payload)
                    output.append(byte: 0x0A)
                case .binary(let payload):
                    self.noteReceived()
                    output.append(payload)
                case .ping, .pong:
                    continue
                case .idle:
                    try await output.flush()
                    continue
                case .closed(let report):
                    close = report
                }
                if output.isFull {
                    try await output.flush()
                }
            }
            try await output.flush()
        } catch is OutputClosedError {
            try? await writer.send(.close(.normalClosure, reason: ""))
            return PipeOutcome(close: close, inputError: nil, outputClosed: true)
        }
        return PipeOutcome(close: close, inputError: nil, outputClosed: false)
    }
}

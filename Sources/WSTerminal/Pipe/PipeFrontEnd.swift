import NIOConcurrencyHelpers
import NIOCore
import WSEngine

#if canImport(Glibc)
    import Glibc
#endif

/// The front end for scripts and pipelines: input lines become messages, received messages go to stdout.
///
/// Two tasks share the session: one sends (the `-x` messages and files, then stdin, then the Close), one prints
/// events. Sending awaits the writer, so a slow server slows the reading of stdin instead of filling
/// memory; printing flushes whenever the socket has nothing more pending.
public struct PipeFrontEnd: Sendable {
    private let options: PipeOptions
    private let input: StandardInputMessages
    /// Where stdin's reading stopped; shared by the front ends of one run's connections (`--reconnect`).
    private let cursor: StandardInputCursor
    /// The end conditions, and when the last message arrived, so that the linger after input can wait for
    /// the server to go quiet.
    private let watch: EndWatch
    /// The largest message of the command line sent so far, for the report of a Close 1009.
    private let largestSent = NIOLockedValueBox<SentMessage?>(nil)

    /// Creates the front end; with `cursor`, stdin is read on from where an earlier connection stopped.
    public init(options: PipeOptions, cursor: StandardInputCursor? = nil) {
        self.options = options
        self.input = StandardInputMessages(binary: options.binary, splitsAtNUL: options.splitsAtNUL)
        self.cursor = cursor ?? StandardInputCursor(self.input)
        self.watch = EndWatch(options.end)
    }

    /// Runs until the session closes (or stdout goes away), and says how it ended.
    public func run(events: SessionEvents, writer: SessionWriter) async throws -> PipeOutcome {
        try await withThrowingTaskGroup(of: InputError?.self) { group in
            group.addTask {
                try await self.sendInput(writer: writer)
            }
            group.addTask {
                try await self.watch.watchIdle(writer: writer)
                return nil
            }
            var outcome = try await self.printEvents(events, writer: writer)
            group.cancelAll()
            while let result = try? await group.next() {
                outcome.inputError = outcome.inputError ?? result
            }
            outcome.largestSent = self.largestSent.withLockedValue { $0 }
            return outcome
        }
    }

    /// Sends everything, lingers, then closes. Input that cannot be sent ends the input early: what was
    /// sent before it still gets its replies, and the error is returned for the exit status.
    private func sendInput(writer: SessionWriter) async throws -> InputError? {
        var failure: InputError?
        do {
            try await self.sendCommandLineMessages(writer: writer)
            if self.options.readsStandardInput {
                try await self.input.forEachBatch(from: self.cursor) { try await writer.send(contentsOf: $0) }
            }
        } catch let error as InputError {
            failure = error
        }
        try await self.linger()
        try await writer.send(.close(.normalClosure, reason: ""))
        return failure
    }

    /// Sends the messages of `-x` and `--send-file`, in order.
    private func sendCommandLineMessages(writer: SessionWriter) async throws {
        for message in self.options.commandLineMessages {
            switch message {
            case .text(let text):
                let payload = ByteBufferAllocator().buffer(string: text)
                self.record(SentMessage(bytes: payload.readableBytes, file: nil))
                try await writer.send(self.input.command(payload))
            case .file(let path):
                let file = FileMessage(
                    path: path,
                    asText: self.options.filesAsText,
                    showsProgress: self.options.showsProgress
                )
                try await file.send(through: writer) { self.record(SentMessage(bytes: $0, file: path)) }
            }
        }
    }

    private func record(_ message: SentMessage) {
        self.largestSent.withLockedValue { largest in
            if message.bytes > largest?.bytes ?? -1 {
                largest = message
            }
        }
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
            let quietSince = max(inputEnded, self.watch.lastReceived)
            let deadline = quietSince + wait
            guard deadline > .now else { return }
            try await Task.sleep(until: deadline)
        }
    }

    /// Prints events until the session closes, or until stdout goes away; closes the session when an end
    /// condition is met.
    private func printEvents(_ events: SessionEvents, writer: SessionWriter) async throws -> PipeOutcome {
        var output = OutputWriter(descriptor: STDOUT_FILENO)
        var close: CloseReport?
        do {
            for try await event in events {
                switch event {
                case .text, .binary:
                    // Recorded for the linger, which waits for the server to go quiet.
                    let verdict = self.watch.message(event)
                    guard verdict != .drop else { continue }
                    _ = output.appendMessage(event, format: self.options.format, timestamp: self.options.timestamps)
                    if verdict == .showAndEnd {
                        try await output.flush()
                        try? await writer.send(.close(.normalClosure, reason: ""))
                    }
                case .ping(let payload), .pong(let payload):
                    guard self.options.showsPingPong else { continue }
                    self.report(event, payload: payload, to: &output)
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
            // Nobody reads any more: stop at once. A Close would queue behind everything still unsent.
            return PipeOutcome(close: close, inputError: nil, outputClosed: true, earlyEnd: self.watch.ended)
        }
        return PipeOutcome(close: close, inputError: nil, outputClosed: false, earlyEnd: self.watch.ended)
    }

    /// `-P`: a ping or pong as an event in the JSON Lines, or as a line on stderr, with the round trip of a
    /// pong that answers a keepalive ping.
    private func report(_ event: SessionEvent, payload: ByteBuffer, to output: inout OutputWriter) {
        let isPing = if case .ping = event { true } else { false }
        let roundTrip = isPing ? nil : Keepalive.roundTrip(of: payload)
        if let events = self.options.events {
            output.append(events.control(isPing ? "ping" : "pong", payload: payload, roundTrip: roundTrip))
            return
        }
        let text = String(decoding: payload.readableBytesView, as: UTF8.self)
        let time = roundTrip.map { " \(JSONEvents.milliseconds($0)) ms" } ?? ""
        let line = "wsc: \(isPing ? "ping" : "pong") \"\(TerminalEscaping.escaped(text))\"\(time)\n"
        try? DescriptorWriter.writeAll(Array(line.utf8), to: STDERR_FILENO)
    }
}

/// How a pipe session ended.
public struct PipeOutcome: Sendable {
    /// The session's end, if it got that far.
    public var close: CloseReport?
    /// Input that could not be sent; the session was closed because of it.
    public var inputError: InputError?
    /// The reader of stdout went away, so wsc stopped early.
    public var outputClosed: Bool
    /// The end condition that ended the session (`--count`, `--until`, `--idle-timeout`), if one did.
    public var earlyEnd: EarlyEnd?
    /// The largest message of `-x` or `--send-file` sent, for the report of a server's Close 1009.
    public var largestSent: SentMessage? = nil
}

/// A message sent: its size, and the file it came from (`-` for stdin), if it was one.
public struct SentMessage: Sendable, Equatable {
    /// The message's size in bytes.
    public var bytes: Int
    /// The path given to `--send-file`, or `nil` for a `-x` message.
    public var file: String?
}

import WSEngine

/// `--echo`: sends every received message back with the same type, instead of reading input, until the
/// peer closes. Used as a test peer (the Autobahn fuzzing server's `runCase` flow) and, with `--listen`, as
/// an echo server.
///
/// Messages of a read burst are sent back together, once the burst ends, in one write; sending awaits the
/// socket, and meanwhile the session stops reading, so a peer that does not read its echoes is slowed
/// down rather than buffered for.
public struct EchoFrontEnd: Sendable {
    /// Pending echoes past which they are sent without waiting for the end of the burst.
    private static let batchLimit = 1 << 20

    private let watch: EndWatch

    /// Creates the front end; `end` may bound the session by a number of messages or by silence.
    public init(end: EndConditions = EndConditions()) {
        self.watch = EndWatch(end)
    }

    /// Echoes until the session closes, and says how it ended. Prints nothing: the close report is the
    /// runner's to show.
    public func run(events: SessionEvents, writer: SessionWriter) async throws -> PipeOutcome {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await self.watch.watchIdle(writer: writer)
            }
            let close = try await self.echo(events, writer: writer)
            group.cancelAll()
            return PipeOutcome(close: close, inputError: nil, outputClosed: false, earlyEnd: self.watch.ended)
        }
    }

    private func echo(_ events: SessionEvents, writer: SessionWriter) async throws -> CloseReport? {
        var batch: [SessionCommand] = []
        var batchBytes = 0
        var close: CloseReport?
        for try await event in events {
            switch event {
            case .text(let payload), .binary(let payload):
                let verdict = self.watch.message(event)
                guard verdict != .drop else { continue }
                if case .text = event {
                    batch.append(.text(payload))
                } else {
                    batch.append(.binary(payload))
                }
                batchBytes += verdict == .showAndEnd ? Self.batchLimit : payload.readableBytes
                if verdict == .showAndEnd {
                    batch.append(.close(.normalClosure, reason: ""))
                }
            case .ping, .pong:
                continue
            case .idle:
                batchBytes = batch.isEmpty ? 0 : Self.batchLimit
            case .closed(let report):
                close = report
                batch = []
                batchBytes = 0
            }
            if batchBytes >= Self.batchLimit {
                await Self.send(batch, writer: writer)
                batch = []
                batchBytes = 0
            }
        }
        return close
    }

    /// A send fails only once the connection is closing; its close report follows in the events.
    private static func send(_ batch: [SessionCommand], writer: SessionWriter) async {
        do {
            try await writer.send(contentsOf: batch)
        } catch {
            return
        }
    }
}

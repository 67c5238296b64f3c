import NIOConcurrencyHelpers
import WSEngine

/// The front end of `--listen`: accepts clients; prints what they send to stdout as pipe mode does, and
/// sends each stdin line to every connected client; or, with `--echo`, echoes each client's messages; or,
/// on a terminal, runs the REPL with them (``runInteractive(options:)``).
///
/// Stdin is read only while a client is connected, so lines piped in before the first client arrive are
/// kept for it. The end of stdin does not stop the server; ``stop()`` (a signal), a stdin line that cannot
/// be sent, or stdout going away does, after closing every client with 1001.
public final class ListenFrontEnd: Sendable {
    let listener: WebSocketListener
    private let options: ListenOptions
    private let report: @Sendable (ListenEvent) -> Void
    let clients = ClientRegistry()
    private let output: SharedOutput
    private let outputClosed = NIOLockedValueBox(false)

    /// A front end for `listener`; `report` is told about each client as it comes and goes.
    public init(
        listener: WebSocketListener,
        options: ListenOptions,
        report: @escaping @Sendable (ListenEvent) -> Void
    ) {
        self.listener = listener
        self.options = options
        self.report = report
        self.output = SharedOutput(format: options.format, timestamps: options.timestamps)
    }

    /// Serves until stopped; returns once every client's session has ended.
    public func run() async throws -> ListenOutcome {
        try await withThrowingTaskGroup(of: InputError?.self) { group in
            if !self.options.echo {
                group.addTask { await self.broadcastStandardInput() }
            }
            try await self.listener.run { connection in
                await self.serve(connection, reportingTo: self.report) { events, writer, peer in
                    if self.options.echo {
                        return try await EchoFrontEnd().run(events: events, writer: writer).close
                    }
                    return try await self.printEvents(events, from: peer)
                }
            }
            group.cancelAll()
            var inputError: InputError?
            while let result = try? await group.next() {
                inputError = inputError ?? result
            }
            return ListenOutcome(inputError: inputError, outputClosed: self.outputClosed.withLockedValue { $0 })
        }
    }

    /// Stops accepting and closes every client with 1001 (RFC 6455 section 7.4.1: going away): after the
    /// lines queued for it when it keeps up, at once when it is behind, so that a client that reads nothing
    /// holds up nobody; its session's close timeout ends it.
    public func stop() async {
        self.listener.close()
        for outbox in self.clients.stop() {
            if outbox.queuedBytes < ClientRegistry.paceBytes {
                outbox.closeAfterQueued(.goingAway, reason: "")
            } else {
                outbox.close(.goingAway, reason: "")
            }
        }
    }

    /// Runs one connection: reports it, registers its writer while its session lasts, and lets `handle`
    /// take its events (given the client's address) until it returns the close report.
    ///
    /// A client is reported connected only once registered, so whoever hears of it can reach it at once.
    func serve(
        _ connection: IncomingConnection,
        reportingTo report: @escaping @Sendable (ListenEvent) -> Void,
        handle: @escaping @Sendable (SessionEvents, SessionWriter, String) async throws -> CloseReport?
    ) async {
        switch connection {
        case .refused(let peer, let reason):
            report(.refused(peer: peer, reason: reason))
        case .session(let session, let peer):
            let close = try? await session.run { events, writer in
                let added = self.clients.add(writer)
                report(.connected(peer: peer, session.handshake))
                guard let (id, outbox) = added else {
                    // Arrived while stopping: closed at once, then drained until its close report.
                    try? await writer.send(.close(.goingAway, reason: ""))
                    var close: CloseReport?
                    for try await case .closed(let report) in events {
                        close = report
                    }
                    return close
                }
                // The client's broadcast lines go out from a task of its own, beside its events.
                async let sending: Void = outbox.run { self.clients.progressed() }
                let close: CloseReport?
                do {
                    close = try await handle(events, writer, peer)
                } catch {
                    self.clients.remove(id)
                    await sending
                    throw error
                }
                self.clients.remove(id)
                await sending
                return close
            }
            let closeReport =
                close.flatMap { $0 }
                ?? CloseReport(initiator: .remote, code: .abnormalClosure, reason: "the session failed")
            report(.closed(peer: peer, closeReport))
        }
    }

    /// Prints the messages of one client (`peer`, its address) until its session ends; returns its close
    /// report.
    private func printEvents(_ events: SessionEvents, from peer: String) async throws -> CloseReport? {
        var close: CloseReport?
        do {
            for try await event in events {
                switch event {
                case .text, .binary:
                    try await self.output.append(event, from: peer)
                case .idle:
                    try await self.output.flush()
                case .ping, .pong:
                    continue
                case .closed(let report):
                    close = report
                }
            }
            try await self.output.flush()
        } catch is OutputClosedError {
            // Nobody reads stdout any more: like `wsc … | head -1`, stop serving.
            self.outputClosed.withLockedValue { $0 = true }
            await self.stop()
        }
        return close
    }

    /// Sends each batch of stdin lines to every client connected at the time, waiting for a first client
    /// before reading, and reading on at the pace of the fastest client (see ``ClientRegistry``). Returns a
    /// line that could not be sent, after stopping the server for it.
    private func broadcastStandardInput() async -> InputError? {
        let input = StandardInputMessages(binary: self.options.binary)
        do {
            try await self.clients.waitForClient()
            try await input.forEachBatch { batch in
                try await self.clients.waitForClient()
                await self.clients.broadcast(batch)
            }
            return nil
        } catch let error as InputError {
            await self.stop()
            return error
        } catch {
            return nil
        }
    }
}

/// How a `--listen` run ended, besides a signal.
public struct ListenOutcome: Sendable {
    /// A stdin line could not be sent; wsc stopped serving because of it.
    public var inputError: InputError?
    /// The reader of stdout went away, so wsc stopped serving.
    public var outputClosed: Bool
}

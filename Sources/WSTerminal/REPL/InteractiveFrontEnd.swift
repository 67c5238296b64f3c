import WSEngine

/// The interactive terminal front end: a libedit prompt for typing messages and slash commands, with every
/// message received or sent shown above it, timestamped.
///
/// One dedicated thread owns the terminal (see ``ReplTerminal``); session events are queued to it, and typed
/// messages come back through an ordered stream drained by one task, so they are sent in the order typed. A
/// typed message is shown as sent when it is handed to that stream, so the transcript always has it before
/// any answer to it.
public struct InteractiveFrontEnd: Sendable {
    /// How the transcript looks and where the history is kept.
    public var options: InteractiveOptions

    /// A front end with `options`.
    public init(options: InteractiveOptions) {
        self.options = options
    }

    /// How a REPL session ended.
    public struct End: Sendable {
        /// The session's report; `nil` when the events ended without one or the user stopped waiting for the
        /// closing handshake (a second Ctrl-C).
        public var report: CloseReport?
        /// Whether SIGTERM or SIGHUP, or the terminal going away, ended it.
        public var stoppedBySignal: Bool
        /// Whether `/reconnect` ended it: a new session is wanted.
        public var reconnectRequested = false
    }

    /// Runs `connect` with a `* connecting to HOST:PORT…` line on the terminal while it runs, for an interactive
    /// session's `options` (`nil` shows nothing); the line is taken away before the result is returned, and the
    /// greeting, or an error, takes its place. Only on a terminal that can erase a line (not `TERM=dumb`).
    public static func connecting<Result>(
        to hostAndPort: String,
        options: InteractiveOptions?,
        _ connect: () async -> Result
    ) async -> Result {
        guard let options, TerminalOutput.isCapable else {
            return await connect()
        }
        let formatter = TranscriptFormatter(colors: options.colors, timestamps: options.timestamps)
        let line = formatter.notice("connecting to \(hostAndPort)…", at: .now()).dropLast(2)
        TerminalOutput.write(Array(line))
        let result = await connect()
        TerminalOutput.write("\r\u{1B}[K")
        return result
    }

    /// Runs the REPL until the session's closed event, and says how it ended. `signals` are the process's
    /// signals as they arrive (Ctrl-C is a key here, SIGWINCH a resize). The terminal is restored whichever
    /// way this returns or throws.
    public func run(events: SessionEvents, writer: SessionWriter, signals: AsyncStream<Int32>) async throws -> End {
        try await self.run(events: events, signals: signals) { command in
            try await writer.send(command)
        }
    }

    /// ``run(events:writer:signals:)`` over any event sequence and sending function.
    func run<Events: AsyncSequence<SessionEvent, any Error> & Sendable>(
        events: Events,
        signals: AsyncStream<Int32>,
        send: @escaping @Sendable (SessionCommand) async throws -> Void
    ) async throws -> End {
        let outcome = try await self.run(serving: nil, signals: signals) { mailbox in
            await Self.forward(events, to: mailbox)
        } perform: { request in
            switch request {
            case .send(let command):
                try await send(command)
            case .sendFile(let path, let asText):
                try await FileMessage(path: path, asText: asText, showsProgress: false).send(send) { _ in }
            case .leave(let code, let reason):
                try await send(.close(code, reason: reason))
            }
        }
        switch outcome {
        case .closed(let report, let stoppedBySignal, let reconnect):
            return End(report: report, stoppedBySignal: stoppedBySignal, reconnectRequested: reconnect)
        case .eventsEnded, .abandoned:
            return End(report: nil, stoppedBySignal: false)
        case .eventsFailed(let error), .setupFailed(let error):
            throw error
        }
    }

    /// The REPL over whatever `feed` puts in the mailbox, until the terminal is done: a client's session
    /// events, or the clients of `--listen` that `serving` holds. `perform` carries out typed requests in order.
    func run(
        serving clients: ClientRegistry?,
        signals: AsyncStream<Int32>,
        feed: @escaping @Sendable (TerminalMailbox) async -> Void,
        perform: @escaping @Sendable (ReplRequest) async throws -> Void
    ) async throws -> TerminalOutcome {
        let mailbox = try TerminalMailbox()
        defer { mailbox.shutDown() }
        let (outgoing, outgoingContinuation) = AsyncStream.makeStream(of: ReplRequest.self)
        let terminal = ReplTerminal(
            options: self.options,
            serving: clients,
            mailbox: mailbox,
            outgoing: outgoingContinuation
        )
        return await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await Self.perform(outgoing, with: perform, reportingTo: mailbox)
            }
            group.addTask {
                await feed(mailbox)
            }
            group.addTask {
                for await signal in signals {
                    mailbox.post(.signal(signal))
                }
            }
            let outcome = await withTaskCancellationHandler {
                await terminal.run()
            } onCancel: {
                mailbox.post(.cancelled)
            }
            outgoingContinuation.finish()
            // Nobody drains the mailbox any more: a feed waiting in deliver(_:) must go on, or the group
            // would wait for it forever.
            mailbox.shutDown()
            group.cancelAll()
            return outcome
        }
    }

    /// Carries out typed requests one at a time, in order; the terminal hears only of those that failed.
    private static func perform(
        _ requests: AsyncStream<ReplRequest>,
        with perform: @Sendable (ReplRequest) async throws -> Void,
        reportingTo mailbox: TerminalMailbox
    ) async {
        for await request in requests {
            do {
                try await perform(request)
            } catch {
                mailbox.post(.sendFailed(request, "\(error)"))
            }
        }
    }

    /// Hands session events to the terminal, stamped with their arrival time.
    private static func forward<Events: AsyncSequence<SessionEvent, any Error>>(
        _ events: Events,
        to mailbox: TerminalMailbox
    ) async {
        do {
            for try await event in events {
                await mailbox.deliver(.event(event, .now()))
                if case .closed = event {
                    return
                }
            }
            mailbox.post(.eventsEnded)
        } catch {
            mailbox.post(.eventsFailed(error))
        }
    }
}

import ArgumentParser
import WSEngine
import WSTerminal

/// Executes a ``RunPlan``: connects (or listens), runs the plan's front end, and decides the exit status.
/// The one place where outcomes become exit codes and error lines, and where signals are watched.
struct Runner {
    let plan: RunPlan
    let signals: Signals

    private var diagnostics: Diagnostics {
        self.plan.diagnostics
    }

    /// Runs a plan with the process's signals handled from here on, before anything connects: `run` is given
    /// them and returns the exit status, which, other than success, becomes the `ExitCode` that ends the
    /// command. `diagnostics` reports signals that cannot be watched.
    static func execute(diagnostics: Diagnostics, _ run: (Signals) async -> ExitStatus) async throws {
        let signals: Signals
        do {
            signals = try Signals()
        } catch {
            diagnostics.error("\(error)")
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        let status = await run(signals)
        if status != .success {
            throw ExitCode(status.rawValue)
        }
    }

    func run() async -> ExitStatus {
        for warning in self.plan.warnings {
            self.diagnostics.warning(warning)
        }
        if let deadline = self.plan.deadline {
            self.signals.expire(at: deadline)
        }
        switch self.plan.mode {
        case .client(let client):
            let status = await self.run(client)
            if let events = client.events, status != .success, let message = self.diagnostics.lastError {
                JSONEvents.write(events.error(exit: status.rawValue, message: message))
            }
            return status
        case .server(let server):
            return await self.serve(server)
        }
    }

    /// The error line for `--max-time`, with `detail` on what it stopped.
    private func timedOut(_ detail: String) -> Attempt {
        let limit = self.plan.maxTime.map { " (\($0))" } ?? ""
        return Attempt(.timedOut, error: "--max-time\(limit) passed\(detail)")
    }

    // MARK: - Client

    /// How one connection ended: its exit status and the line that says so (printed unless wsc connects
    /// again), and what failed, for `--reconnect` to judge.
    private struct Attempt {
        var status: ExitStatus
        var line: Line?
        var failure: Reconnection.Failure?
        /// `/reconnect` in the REPL: connect again now, whatever `--reconnect` says.
        var reconnectNow = false

        enum Line {
            case error(String)
            case status(String)
        }

        init(_ status: ExitStatus, error: String? = nil, failure: Reconnection.Failure? = nil) {
            self.status = status
            self.line = error.map(Line.error)
            self.failure = failure
        }

        /// The words of the line, for a reconnection's announcement.
        var reason: String {
            switch (self.line, self.failure) {
            case (.error(let text), _), (.status(let text), _): text
            case (nil, .session(let report, _)?): report.summary
            case (nil, .connect(let error)?): Diagnostics.line(for: error)
            case (nil, nil): "\(self.status)"
            }
        }
    }

    private func run(_ plan: ClientPlan) async -> ExitStatus {
        var reconnection = plan.reconnect
        // Stdin is read on, not again, by the connections after the first.
        let cursor: StandardInputCursor? =
            if case .pipe(let options) = plan.frontEnd, options.readsStandardInput {
                StandardInputCursor(options: options)
            } else {
                nil
            }
        while true {
            let attempt = await self.connectAndRun(plan, cursor: cursor)
            if attempt.reconnectNow {
                continue
            }
            guard var policy = reconnection, let failure = attempt.failure,
                case .retry(let delay, let number) = policy.decide(failure, random: { Double.random(in: 0..<1) })
            else {
                return self.finish(attempt)
            }
            reconnection = policy
            let seconds = (delay / .milliseconds(100)).rounded() / 10
            self.diagnostics.status("reconnecting in \(seconds) s (attempt \(number)): \(attempt.reason)")
            if let events = plan.events {
                JSONEvents.write(events.reconnect(attempt: number, delay: delay, reason: attempt.reason))
            }
            switch await self.signals.unlessStopped({ try? await Task.sleep(for: delay) }) {
            case .finished:
                continue
            case .stopped(Signals.timeLimit):
                return self.finish(self.timedOut(" while waiting to connect again"))
            case .stopped:
                return .interrupted
            }
        }
    }

    /// Prints the attempt's line, and returns its status.
    private func finish(_ attempt: Attempt) -> ExitStatus {
        switch attempt.line {
        case .error(let text): self.diagnostics.error(text)
        case .status(let text): self.diagnostics.status(text)
        case nil: break
        }
        return attempt.status
    }

    /// One connection: connect (following redirects), run the front end, and say how it ended.
    private func connectAndRun(_ plan: ClientPlan, cursor: StandardInputCursor?) async -> Attempt {
        var configuration = plan.configuration
        do {
            configuration.tls = try plan.tlsContext(for: configuration.url)
        } catch {
            return self.failed(error)
        }
        if let path = configuration.unixSocket {
            self.diagnostics.detail(["unix socket: \(path), for \(configuration.url.hostAndPort)"], prefix: "* ")
        }
        let connector = Connector(plan: plan, diagnostics: self.diagnostics)
        // The REPL shows "connecting to host:port…" until the handshake is over (not with -v, which has its own
        // lines).
        let shown: InteractiveOptions? =
            if case .interactive(let options) = plan.frontEnd, !self.diagnostics.verbose { options } else { nil }
        let connected = await self.signals.unlessStopped { [configuration] in
            await InteractiveFrontEnd.connecting(to: configuration.url.hostAndPort, options: shown) {
                await connector.connect(configuration)
            }
        }
        let connection: WebSocketConnection
        let url: WebSocketURL
        switch connected {
        case .stopped(Signals.timeLimit):
            return self.timedOut(" while connecting to \(configuration.url.hostAndPort)")
        case .stopped:
            return Attempt(.interrupted)
        case .finished(.failed(let error)):
            return self.failed(error)
        case .finished(.connected(let opened, let openedURL)):
            (connection, url) = (opened, openedURL)
        }
        self.diagnostics.handshake(connection.handshake)
        if let events = plan.events {
            JSONEvents.write(events.open(url: url.description, handshake: connection.handshake))
        }
        let closeTimeout = configuration.session.closeTimeout
        let opened = ContinuousClock.now
        do {
            switch plan.frontEnd {
            case .interactive(var options):
                options.greeting = SessionGreeting(
                    url: url.description,
                    subprotocol: connection.handshake.subprotocol,
                    compressed: connection.handshake.compression != nil,
                    handshakeProtocol: connection.handshake.handshakeProtocol
                )
                return try await self.runInteractive(connection, options: options)
            case .pipe(let options):
                let frontEnd = PipeFrontEnd(options: options, cursor: cursor)
                return try await self.runClosingOnSignal(connection, plan, opened: opened, closeTimeout: closeTimeout) {
                    try await frontEnd.run(events: $0, writer: $1)
                }
            case .echo(let end):
                let frontEnd = EchoFrontEnd(end: end)
                return try await self.runClosingOnSignal(connection, plan, opened: opened, closeTimeout: closeTimeout) {
                    try await frontEnd.run(events: $0, writer: $1)
                }
            }
        } catch {
            return Attempt(.failure, error: "\(error)")
        }
    }

    /// The REPL takes the signals itself (Ctrl-C is a key there) and prints the close line in its transcript,
    /// so neither the runner's close nor a stderr summary applies. SIGTERM, SIGHUP and SIGQUIT (or the
    /// terminal going away) end it with 130 as in every other mode.
    private func runInteractive(_ connection: WebSocketConnection, options: InteractiveOptions) async throws
        -> Attempt
    {
        let opened = ContinuousClock.now
        let frontEnd = InteractiveFrontEnd(options: options)
        let signals = self.signals.subscribeForTerminal()
        let end = try await connection.run { events, writer in
            try await frontEnd.run(events: events, writer: writer, signals: signals)
        }
        // No report: the user pressed Ctrl-C again instead of waiting for the closing handshake.
        guard let report = end.report, !end.stoppedBySignal else { return Attempt(.interrupted) }
        var attempt = Attempt(ExitStatus(report), failure: .session(report, lasted: .now - opened))
        attempt.reconnectNow = end.reconnectRequested
        return attempt
    }

    /// Runs a pipe or echo front end; a signal (or `--max-time`) sends Close with its code and the front end
    /// runs on until the peer's answer, within the close timeout and a second of grace.
    private func runClosingOnSignal(
        _ connection: WebSocketConnection,
        _ plan: ClientPlan,
        opened: ContinuousClock.Instant,
        closeTimeout: Duration,
        _ frontEnd: @escaping @Sendable (SessionEvents, SessionWriter) async throws -> PipeOutcome
    ) async throws -> Attempt {
        let watched = try await connection.run { events, writer in
            try await self.signals.closing(within: closeTimeout + .seconds(1)) { signal in
                try? await writer.send(.close(Signals.closeCode(for: signal), reason: ""))
            } _: {
                try await frontEnd(events, writer)
            }
        }
        switch watched {
        case .abandoned(Signals.timeLimit):
            return self.timedOut("; the server did not answer the Close in time")
        case .abandoned:
            return Attempt(.interrupted)
        case .finished(let outcome, let signal):
            if let events = plan.events, let close = outcome.close, !outcome.outputClosed {
                JSONEvents.write(events.close(close))
            }
            switch signal {
            case nil:
                return self.attempt(for: outcome, lasted: .now - opened)
            case Signals.timeLimit?:
                return self.timedOut(outcome.close.map { "; \($0.summary)" } ?? "")
            case .some:
                var interrupted = self.attempt(for: outcome, lasted: .now - opened)
                (interrupted.status, interrupted.failure) = (.interrupted, nil)
                return interrupted
            }
        }
    }

    private func attempt(for outcome: PipeOutcome, lasted: Duration) -> Attempt {
        if let inputError = outcome.inputError {
            return Attempt(.inputError, error: inputError.description)
        }
        if outcome.outputClosed {
            return Attempt(.success)
        }
        guard let close = outcome.close else {
            return Attempt(.failure, error: "the connection ended without a close report")
        }
        if case .idle(let timeout) = outcome.earlyEnd {
            return Attempt(.idle, error: "no message received for \(timeout) (--idle-timeout); \(close.summary)")
        }
        var attempt = Attempt(ExitStatus(close), failure: .session(close, lasted: lasted))
        attempt.line =
            attempt.status == .success
            ? .status(close.summary) : .error(Diagnostics.line(for: close, largestSent: outcome.largestSent))
        return attempt
    }

    /// The line for a connection that could not be opened, and its exit status.
    private func failed(_ error: WebSocketClientError) -> Attempt {
        Attempt(ExitStatus(error.category), error: Diagnostics.line(for: error), failure: .connect(error))
    }

    // MARK: - Server

    /// Descriptors kept for everything but clients: standard streams, the event loop's, pipes.
    private static let reservedDescriptors = 32

    /// `--listen`: binds, serves clients until a signal, and decides the exit status. A signal is the normal
    /// way to stop a server, so it closes every client with 1001 and exits 0, unlike a client's 130. Clients
    /// that break the protocol or go away are reported as status lines: they end their own session, not the
    /// server. With a terminal on stdin (and no `--echo`) the REPL serves instead.
    private func serve(_ plan: ServerPlan) async -> ExitStatus {
        var configuration = plan.configuration
        // One descriptor per client: the soft limit (often 1024) should not be what turns clients away, and
        // clients are held below the limit there is, so that accepting seldom runs out of descriptors (when it
        // does, it pauses instead of spinning).
        if let limit = DescriptorLimit.raiseToHardLimit() {
            let room = max(1, Int(clamping: limit) - Self.reservedDescriptors)
            if room < configuration.maxClients {
                self.diagnostics.status("at most \(room) clients at once: the limit on open files is \(limit)")
                configuration.maxClients = room
            }
        }
        let listener: WebSocketListener
        do {
            listener = try await WebSocketServer.listen(configuration)
        } catch {
            return self.finish(self.failed(error))
        }
        let stopping = plan.interactive == nil ? "Ctrl-C stops" : "/help for commands; Ctrl-D stops"
        self.diagnostics.status(
            "listening on ws://\(listener.localAddress)/\(plan.options.echo ? " (echo)" : ""); \(stopping)"
        )
        let diagnostics = self.diagnostics
        let frontEnd = ListenFrontEnd(listener: listener, options: plan.options) { event in
            if case .connected(_, let handshake) = event {
                diagnostics.handshake(handshake)
            }
            diagnostics.status("\(event.peer): \(event.summary)")
        }
        do {
            if let interactive = plan.interactive {
                try await frontEnd.runInteractive(options: interactive, signals: self.signals.subscribeForTerminal())
                return .success
            }
            let grace = configuration.session.closeTimeout + .seconds(1)
            let watched = try await self.signals.closing(within: grace) { _ in
                await frontEnd.stop()
            } _: {
                try await frontEnd.run()
            }
            let outcome: ListenOutcome
            switch watched {
            case .abandoned(Signals.timeLimit), .finished(_, Signals.timeLimit?):
                return self.finish(self.timedOut("; the clients were closed"))
            case .abandoned:
                return .success
            case .finished(let finished, _):
                outcome = finished
            }
            if let inputError = outcome.inputError {
                self.diagnostics.error(inputError.description)
                return .inputError
            }
            return .success
        } catch {
            self.diagnostics.error("\(error)")
            return .failure
        }
    }
}

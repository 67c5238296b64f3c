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

    func run() async -> ExitStatus {
        for warning in self.plan.warnings {
            self.diagnostics.warning(warning)
        }
        switch self.plan.mode {
        case .client(let client):
            return await self.run(client)
        case .server(let server):
            return await self.serve(server)
        }
    }

    // MARK: - Client

    private func run(_ plan: ClientPlan) async -> ExitStatus {
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
        let connected = await self.signals.unlessStopped { [configuration] in await connector.connect(configuration) }
        let connection: WebSocketConnection
        let url: WebSocketURL
        switch connected {
        case nil:
            return .interrupted
        case .failed(let error):
            return self.failed(error)
        case .connected(let opened, let openedURL):
            (connection, url) = (opened, openedURL)
        }
        self.diagnostics.handshake(connection.handshake)
        let closeTimeout = configuration.session.closeTimeout
        do {
            switch plan.frontEnd {
            case .interactive(var options):
                options.greeting = SessionGreeting(
                    url: url.description,
                    subprotocol: connection.handshake.subprotocol,
                    compressed: connection.handshake.compression != nil
                )
                return try await self.runInteractive(connection, options: options)
            case .pipe(let options):
                let frontEnd = PipeFrontEnd(options: options)
                return try await self.runClosingOnSignal(connection, closeTimeout: closeTimeout) { events, writer in
                    try await frontEnd.run(events: events, writer: writer)
                }
            case .echo:
                return try await self.runClosingOnSignal(connection, closeTimeout: closeTimeout) { events, writer in
                    try await EchoFrontEnd().run(events: events, writer: writer)
                }
            }
        } catch {
            self.diagnostics.error("\(error)")
            return .failure
        }
    }

    /// The REPL takes the signals itself (Ctrl-C is a key there) and prints the close line in its transcript,
    /// so neither the runner's close nor a stderr summary applies. SIGTERM, SIGHUP and SIGQUIT (or the
    /// terminal going away) end it with 130 as in every other mode.
    private func runInteractive(_ connection: WebSocketConnection, options: InteractiveOptions) async throws
        -> ExitStatus
    {
        let frontEnd = InteractiveFrontEnd(options: options)
        let signals = self.signals.subscribe()
        let end = try await connection.run { events, writer in
            try await frontEnd.run(events: events, writer: writer, signals: signals)
        }
        // No report: the user pressed Ctrl-C again instead of waiting for the closing handshake.
        guard let report = end.report, !end.stoppedBySignal else { return .interrupted }
        return ExitStatus(report)
    }

    /// Runs a pipe or echo front end; a signal sends Close with its code and the front end runs on until the
    /// peer's answer, within the close timeout and a second of grace.
    private func runClosingOnSignal(
        _ connection: WebSocketConnection,
        closeTimeout: Duration,
        _ frontEnd: @escaping @Sendable (SessionEvents, SessionWriter) async throws -> PipeOutcome
    ) async throws -> ExitStatus {
        let watched = try await connection.run { events, writer in
            try await self.signals.closing(within: closeTimeout + .seconds(1)) { signal in
                try? await writer.send(.close(Signals.closeCode(for: signal), reason: ""))
            } _: {
                try await frontEnd(events, writer)
            }
        }
        switch watched {
        case .abandoned:
            return .interrupted
        case .finished(let outcome, let signal):
            let status = self.status(for: outcome)
            return signal == nil ? status : .interrupted
        }
    }

    private func status(for outcome: PipeOutcome) -> ExitStatus {
        if let inputError = outcome.inputError {
            self.diagnostics.error(inputError.description)
            return .inputError
        }
        if outcome.outputClosed {
            return .success
        }
        guard let close = outcome.close else {
            self.diagnostics.error("the connection ended without a close report")
            return .failure
        }
        let status = ExitStatus(close)
        if status == .success {
            self.diagnostics.status(close.summary)
        } else {
            self.diagnostics.error(Diagnostics.line(for: close, largestSent: outcome.largestSent))
        }
        return status
    }

    /// One error line for a connection that could not be opened, and its exit status.
    private func failed(_ error: WebSocketClientError) -> ExitStatus {
        self.diagnostics.error(Diagnostics.line(for: error))
        return ExitStatus(error.category)
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
        // clients are held below the limit there is, so that accepting never fails for want of descriptors.
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
            return self.failed(error)
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
                try await frontEnd.runInteractive(options: interactive, signals: self.signals.subscribe())
                return .success
            }
            let grace = configuration.session.closeTimeout + .seconds(1)
            let watched = try await self.signals.closing(within: grace) { _ in
                await frontEnd.stop()
            } _: {
                try await frontEnd.run()
            }
            guard case .finished(let outcome, _) = watched else { return .success }
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

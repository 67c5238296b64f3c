import ArgumentParser
import WSEngine
import WSTerminal

/// Connects, runs the chosen front end, and decides the exit status: the one place where outcomes become
/// exit codes and error lines.
struct Runner {
    private let configuration: ClientConfiguration
    private let pipeOptions: PipeOptions
    /// `--echo`: the echo front end instead of the pipe.
    private let echo: Bool
    private let interactiveOptions: InteractiveOptions?
    private let diagnostics: Diagnostics
    private let connector: Connector

    init(options: RootCommand, environment: ProcessEnvironment) throws {
        let diagnostics = Diagnostics(verbose: options.output.verbose, quiet: options.output.quiet)
        do {
            self.configuration = try options.clientConfiguration()
        } catch let error as WebSocketClientError {
            // A TLS file that cannot be used: reported before connecting, with the exit code of its category.
            diagnostics.error(error.description)
            throw ExitCode(Self.status(for: error.category).rawValue)
        }
        for warning in options.tls.warnings(for: self.configuration.url) {
            diagnostics.warning(warning)
        }
        self.pipeOptions = options.pipeOptions()
        self.echo = options.modes.echo
        self.interactiveOptions = options.interactiveOptions(environment: environment)
        self.diagnostics = diagnostics
        self.connector = Connector(
            configuration: self.configuration,
            redirectLimit: options.connection.followRedirects ? options.connection.maxRedirects : nil,
            tls: options.tls,
            diagnostics: diagnostics
        )
    }

    func run() async -> ExitStatus {
        let signals = SignalWatcher(closeTimeout: self.configuration.closeTimeout, statusAfterSignal: .interrupted)
        if let proxy = self.configuration.proxy {
            self.diagnostics.detail(["proxy: \(proxy), tunnel to \(self.configuration.url.hostAndPort)"], prefix: "* ")
        }
        if let path = self.configuration.unixSocket {
            self.diagnostics.detail(["unix socket: \(path), for \(self.configuration.url.hostAndPort)"], prefix: "* ")
        }
        let connection: WebSocketConnection
        let url: WebSocketURL
        let shown = self.diagnostics.verbose ? nil : self.interactiveOptions
        let connected = await InteractiveFrontEnd.connecting(to: self.configuration.url.hostAndPort, options: shown) {
            await self.connector.connect()
        }
        switch connected {
        case .connected(let opened, let openedURL):
            (connection, url) = (opened, openedURL)
        case .failed(let status):
            return status
        }
        self.diagnostics.handshake(connection.handshake)
        if var interactiveOptions = self.interactiveOptions {
            signals.stop()
            interactiveOptions.greeting = SessionGreeting(
                url: url.description,
                subprotocol: connection.handshake.subprotocol,
                compressed: connection.handshake.compression != nil
            )
            return await self.runInteractive(connection, options: interactiveOptions)
        }
        do {
            let frontEnd = PipeFrontEnd(options: self.pipeOptions)
            let echo = self.echo
            let (outcome, signal) = try await connection.run { events, writer in
                try await signals.closingOnSignal(writer: writer) {
                    echo
                        ? try await EchoFrontEnd().run(events: events, writer: writer)
                        : try await frontEnd.run(events: events, writer: writer)
                }
            }
            return self.status(for: outcome, signal: signal)
        } catch {
            self.diagnostics.error("\(error)")
            return .failure
        }
    }

    /// The REPL handles the signals itself (Ctrl-C clears a typed line) and prints the close line in its
    /// transcript, so neither the signal watcher's close nor a stderr summary applies. SIGTERM, SIGHUP and
    /// SIGQUIT (or the terminal going away) end it with 130 as in every other mode; Ctrl-C is a key.
    private func runInteractive(_ connection: WebSocketConnection, options: InteractiveOptions) async -> ExitStatus {
        do {
            let frontEnd = InteractiveFrontEnd(options: options)
            let end = try await connection.run { events, writer in
                try await frontEnd.run(events: events, writer: writer)
            }
            // No report: the user pressed Ctrl-C again instead of waiting for the closing handshake.
            guard let report = end.report, !end.stoppedBySignal else { return .interrupted }
            return Self.status(for: report)
        } catch {
            self.diagnostics.error("\(error)")
            return .failure
        }
    }

    private func status(for outcome: PipeOutcome, signal: Int32?) -> ExitStatus {
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
        let status = Self.status(for: close)
        if status == .success {
            self.diagnostics.status(close.summary)
        } else {
            self.diagnostics.error(close.summary)
        }
        return signal == nil ? status : .interrupted
    }

    /// 1000 and 1001 are success; a violation is the server's protocol error; anything else is abnormal.
    static func status(for close: CloseReport) -> ExitStatus {
        if close.violation != nil { return .protocolError }
        return close.isClean ? .success : .abnormalClose
    }

    static func status(for category: WebSocketClientError.Category) -> ExitStatus {
        switch category {
        case .connectionFailed: .connectionFailed
        case .handshakeRejected: .handshakeRejected
        case .tls: .tlsFailed
        }
    }
}

import ArgumentParser
import WSEngine
import WSTLS
import WSTerminal

/// What one run of wsc does, decided once from the command line and the process's environment: a client or
/// a server, its front end, and the engine's configuration. The ``Runner`` executes it; nothing below this
/// sees an option group.
struct RunPlan: Sendable {
    /// A client or a server (`--listen`).
    enum Mode: Sendable {
        case client(ClientPlan)
        case server(ServerPlan)
    }

    var mode: Mode
    /// When the whole run must be over (`--max-time`, counted from the start); `nil` without a bound.
    var deadline: ContinuousClock.Instant?
    /// `--max-time`, for the error line when it passes.
    var maxTime: Duration?
    /// How wsc's own lines on stderr are shown (`-v`, `-q`).
    var diagnostics: Diagnostics
    /// Lines of `wsc: warning:` to print before anything runs (`-k`, TLS options with a `ws://` URL).
    var warnings: [String]
}

/// A client's run: where to connect, how, and the front end that runs the session.
struct ClientPlan: Sendable {
    /// Who runs the session once it is open.
    enum FrontEnd: Sendable {
        /// The REPL: stdin is a terminal, and neither `-x`, `--echo` nor `--format` replaces it.
        case interactive(InteractiveOptions)
        /// stdin lines or `-x` messages out, received messages to stdout.
        case pipe(PipeOptions)
        /// `--echo`: every received message goes back, until the peer closes or `end` is met.
        case echo(EndConditions)
    }

    var configuration: ClientConfiguration
    var frontEnd: FrontEnd
    /// The proxy for every URL a redirect leads to.
    var proxyRoute: ProxyRoute
    /// The proxy for the URL connected to (the configuration's), and where it was set.
    var proxy: ProxyRoute.Choice?
    /// How many redirects to follow (`-L`, `--max-redirs`); `nil` follows none.
    var redirectLimit: Int?
    /// `--events`: the objects that go to stdout besides messages (the front end adds pings and pongs).
    var events: JSONEvents?
    /// `--reconnect`: when to connect again after a connection failed or dropped; `nil` never does.
    var reconnect: Reconnection?
    /// The TLS settings from the command line, for the context of the URL connected to and of every URL a
    /// redirect leads to; `nil` when no TLS option was given (the engine's defaults: the system trust store).
    var tls: TLSConfiguration?

    /// The TLS context for `url`, built before connecting so that an unusable `--cacert`, `--cert` or `--key`
    /// file is reported without touching the network; `nil` for `ws://`, or without TLS options.
    func tlsContext(for url: WebSocketURL) throws(WebSocketClientError) -> TLSClientContext? {
        try TLSConfiguration.context(self.tls, for: url)
    }
}

/// A server's run (`--listen`).
struct ServerPlan: Sendable {
    var configuration: ServerConfiguration
    /// How clients are served and their messages printed.
    var options: ListenOptions
    /// The REPL's options when stdin is a terminal (and no `--echo` or `--format`); `nil` serves stdin lines.
    var interactive: InteractiveOptions?
}

extension RootCommand {
    /// The plan for this command line. Everything is parsed and checked here, once; a value that cannot be
    /// used is a `ValidationError`, reported as a usage error naming the option. `--max-time` counts from
    /// `start`.
    func plan(environment: ProcessEnvironment, start: ContinuousClock.Instant = .now) throws -> RunPlan {
        let diagnostics = Diagnostics(verbose: self.output.verbose, quiet: self.output.quiet)
        let maxTime = self.messages.maxTime.map { Duration.seconds($0) }
        let deadline = maxTime.map { start + $0 }
        let session = self.connection.sessionConfiguration(
            role: self.modes.listen == nil ? .client : .server,
            reportsPongs: self.output.showPingPong
        )
        let interactive = self.interactiveOptions(environment: environment)
        if let address = self.modes.listen {
            let configuration = ServerConfiguration(
                host: address.host,
                port: address.port,
                subprotocols: try RequestFieldCheck.subprotocols(self.connection.subprotocols),
                session: session,
                maxClients: self.modes.maxClients ?? ServerConfiguration.defaultMaxClients,
                handshakeTimeout: self.connection.connectTimeout.map { .seconds($0) }
                    ?? ClientConfiguration.defaultConnectTimeout
            )
            let options = ListenOptions(
                echo: self.modes.echo,
                binary: self.messages.binary,
                timestamps: self.output.timestamps ?? false,
                format: self.outputFormat
            )
            let plan = ServerPlan(configuration: configuration, options: options, interactive: interactive)
            return RunPlan(
                mode: .server(plan),
                deadline: deadline,
                maxTime: maxTime,
                diagnostics: diagnostics,
                warnings: []
            )
        }
        let proxyRoute = try self.connection.proxyRoute(environment: environment)
        var configuration = try self.connection.clientConfiguration(url: self.target.text ?? "", session: session)
        let proxy = try proxyRoute.choice(for: configuration.url)
        configuration.proxy = proxy?.proxy
        let end = try self.endConditions()
        let events = self.output.events ? JSONEvents(timestamps: self.output.timestamps ?? false) : nil
        let frontEnd: ClientPlan.FrontEnd =
            if self.modes.echo {
                .echo(end)
            } else if let interactive {
                .interactive(interactive)
            } else {
                .pipe(try self.pipeOptions(environment: environment, end: end, events: events))
            }
        let plan = ClientPlan(
            configuration: configuration,
            frontEnd: frontEnd,
            proxyRoute: proxyRoute,
            proxy: proxy,
            redirectLimit: self.connection.followRedirects ? self.connection.maxRedirects : nil,
            events: events,
            reconnect: self.connection.reconnect ? Reconnection(maxAttempts: self.connection.reconnectMax) : nil,
            tls: self.tls.configuration.map { tls in
                var tls = tls
                tls.applicationProtocols = configuration.applicationProtocols
                return tls
            }
        )
        return RunPlan(
            mode: .client(plan),
            deadline: deadline,
            maxTime: maxTime,
            diagnostics: diagnostics,
            warnings: self.tls.warnings(for: configuration.url)
        )
    }

    /// `--count`, `--once`, `--until` and `--idle-timeout`; an expression that does not compile is a usage
    /// error.
    private func endConditions() throws -> EndConditions {
        let pattern: MessagePattern?
        do {
            pattern = try self.messages.until.map { try MessagePattern($0) }
        } catch let error as MessagePattern.PatternError {
            throw ValidationError("--until takes a POSIX extended regular expression (as grep -E): \(error.reason)")
        }
        return EndConditions(
            messageLimit: self.messages.messageLimit,
            pattern: pattern,
            idleTimeout: self.messages.idleTimeout.map { .seconds($0) }
        )
    }

    /// The pipe front end's options: `-x` and `--send-file` replace stdin, as `-x` does in wscat. A file that
    /// cannot be read is a usage error, found before connecting.
    private func pipeOptions(
        environment: ProcessEnvironment,
        end: EndConditions,
        events: JSONEvents?
    ) throws -> PipeOptions {
        for file in self.messages.sendFiles {
            if let problem = FileMessage.problem(reading: file.value) {
                throw ValidationError("--send-file: cannot read '\(file.value)': \(problem)")
            }
        }
        return PipeOptions(
            binary: self.messages.binary,
            commandLineMessages: self.messages.commandLineMessages,
            filesAsText: self.messages.text,
            showsProgress: environment.stderrIsTerminal && !self.output.quiet,
            readsStandardInput: self.messages.readsStandardInput,
            splitsAtNUL: self.messages.null,
            waitAfterInput: self.messages.wait < 0 ? nil : .seconds(self.messages.wait),
            timestamps: self.output.timestamps ?? false,
            format: self.outputFormat,
            end: end,
            events: events,
            showsPingPong: self.output.showPingPong
        )
    }

    /// How messages are printed outside the REPL; raw unless `--format` says otherwise.
    private var outputFormat: OutputFormat {
        switch self.output.format {
        case .raw, nil: .raw
        case .jsonl: .jsonLines
        }
    }

    /// The REPL's options when stdin is a terminal and no `-x` message or file replaces it (nor `-0` its lines,
    /// `--echo` the input, `--format` the transcript, or a bound on the run such as `--count` or `--max-time`,
    /// which make a script of it); `nil` means another front end.
    private func interactiveOptions(environment: ProcessEnvironment) -> InteractiveOptions? {
        guard environment.stdinIsTerminal, self.messages.readsStandardInput, !self.messages.null, !self.modes.echo,
            self.output.format == nil, !self.messages.endsTheRun
        else {
            return nil
        }
        return InteractiveOptions(
            colors: self.usesColor(onTerminal: environment.stdoutIsTerminal, environment: environment.variables),
            timestamps: self.output.timestamps ?? true,
            historyFile: InteractiveOptions.defaultHistoryFile(environment: environment.variables)
        )
    }

    /// Whether colour is wanted on a stream that is (or is not) a terminal (STYLE: `TERM=dumb` is not one).
    func usesColor(onTerminal isTerminal: Bool, environment: [String: String]) -> Bool {
        if self.output.noColor { return false }
        switch self.output.color {
        case .always: return true
        case .never: return false
        case .auto: return isTerminal && environment["NO_COLOR"].map(\.isEmpty) ?? true && environment["TERM"] != "dumb"
        }
    }
}

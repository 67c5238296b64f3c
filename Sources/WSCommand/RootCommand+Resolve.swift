import ArgumentParser
import WSDeflate
import WSEngine
import WSTerminal

extension RootCommand {
    /// The engine's configuration from the connection options. Throws `ValidationError` for a bad URL so
    /// it is reported as a usage error, and `WebSocketClientError` for TLS files that cannot be used.
    func clientConfiguration() throws -> ClientConfiguration {
        let text = self.connection.url ?? self.connection.connectURL ?? ""
        let url: WebSocketURL
        do {
            url = try WebSocketURL(parsing: text)
        } catch {
            throw ValidationError(error.description)
        }
        return ClientConfiguration(
            url: url,
            headers: self.connection.headers.compactMap { HeaderField(headerLine: $0) },
            origin: self.connection.origin,
            subprotocols: self.connection.subprotocols,
            basicAuth: self.connection.auth.flatMap { BasicCredentials(userColonPassword: $0) },
            connectTimeout: .milliseconds(Int64(self.connection.connectTimeout * 1000)),
            closeTimeout: .milliseconds(Int64(self.connection.closeTimeout * 1000)),
            keepalive: self.connection.keepalive,
            maxMessageSize: self.connection.maxMessageSize?.bytes ?? ClientConfiguration.defaultMaxMessageSize,
            compression: self.connection.noCompression ? nil : .standard,
            tls: try self.tls.clientContext(for: url),
            proxy: try self.connection.proxyConfiguration(),
            unixSocket: self.connection.unixSocket
        )
    }

    /// The pipe front end's options: `-x` replaces stdin, as in wscat.
    func pipeOptions() -> PipeOptions {
        PipeOptions(
            binary: self.messages.binary,
            executeMessages: self.messages.execute,
            readsStandardInput: self.messages.execute.isEmpty,
            waitAfterInput: self.messages.wait < 0 ? nil : .milliseconds(Int64(self.messages.wait * 1000)),
            timestamps: self.output.timestamps ?? false,
            format: self.outputFormat
        )
    }

    /// The engine's server configuration for `--listen`.
    func serverConfiguration(listening address: ListenAddress) -> ServerConfiguration {
        ServerConfiguration(
            host: address.host,
            port: address.port,
            subprotocols: self.connection.subprotocols,
            acceptsCompression: !self.connection.noCompression,
            maxMessageSize: self.connection.maxMessageSize?.bytes ?? ServerConfiguration.defaultMaxMessageSize,
            maxClients: self.modes.maxClients ?? ServerConfiguration.defaultMaxClients,
            closeTimeout: .milliseconds(Int64(self.connection.closeTimeout * 1000)),
            keepalive: self.connection.keepalive,
            handshakeTimeout: .milliseconds(Int64(self.connection.connectTimeout * 1000))
        )
    }

    /// The `--listen` front end's options.
    func listenOptions() -> ListenOptions {
        ListenOptions(
            echo: self.modes.echo,
            binary: self.messages.binary,
            timestamps: self.output.timestamps ?? false,
            format: self.outputFormat
        )
    }

    /// How messages are printed outside the REPL; raw unless `--format` says otherwise.
    var outputFormat: OutputFormat {
        switch self.output.format {
        case .raw, nil: .raw
        case .jsonl: .jsonLines
        }
    }

    /// The REPL's options when stdin is a terminal and no `-x` message replaces it (nor `--echo` the input,
    /// nor `--format` the transcript); `nil` means pipe mode (or echo).
    func interactiveOptions(environment: ProcessEnvironment) -> InteractiveOptions? {
        guard environment.stdinIsTerminal, self.messages.execute.isEmpty, !self.modes.echo, self.output.format == nil
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

import WSEngine
import WSTerminal

/// `--listen`: binds, serves clients until a signal, and decides the exit status, as ``Runner`` does for a
/// client.
///
/// A signal is the normal way to stop a server, so it closes every client with 1001 and exits 0, unlike a
/// client's 130. Clients that break the protocol or go away are reported on stderr as status lines: they
/// end their own session, not the server.
///
/// With a terminal on stdin (and no `--echo`) the REPL serves instead, as for a client: client events and
/// messages become transcript lines, and the REPL handles the signals itself.
struct ListenRunner {
    private var configuration: ServerConfiguration
    private let options: ListenOptions
    private let interactiveOptions: InteractiveOptions?
    private let diagnostics: Diagnostics

    init(options: RootCommand, environment: ProcessEnvironment) {
        self.configuration = options.serverConfiguration(listening: options.modes.listen!)
        self.options = options.listenOptions()
        self.interactiveOptions = options.interactiveOptions(environment: environment)
        self.diagnostics = Diagnostics(verbose: options.output.verbose, quiet: options.output.quiet)
    }

    /// Descriptors kept for everything but clients: standard streams, the event loop's, pipes.
    private static let reservedDescriptors = 32

    func run() async -> ExitStatus {
        var runner = self
        return await runner.serve()
    }

    private mutating func serve() async -> ExitStatus {
        // One descriptor per client: the soft limit (often 1024) should not be what turns clients away, and
        // clients are held below the limit there is, so that accepting never fails for want of descriptors.
        if let limit = DescriptorLimit.raiseToHardLimit() {
            let room = max(1, Int(clamping: limit) - Self.reservedDescriptors)
            if room < self.configuration.maxClients {
                self.diagnostics.status("at most \(room) clients at once: the limit on open files is \(limit)")
                self.configuration.maxClients = room
            }
        }
        let signals = SignalWatcher(closeTimeout: self.configuration.closeTimeout, statusAfterSignal: .success)
        let listener: WebSocketListener
        do {
            listener = try await WebSocketServer.listen(self.configuration)
        } catch {
            self.diagnostics.error(error.description)
            return Runner.status(for: error.category)
        }
        let stopping = self.interactiveOptions == nil ? "Ctrl-C stops" : "/help for commands; Ctrl-D stops"
        self.diagnostics.status(
            "listening on ws://\(listener.localAddress)/\(self.options.echo ? " (echo)" : ""); \(stopping)"
        )
        let diagnostics = self.diagnostics
        let frontEnd = ListenFrontEnd(listener: listener, options: self.options) { event in
            Self.show(event, diagnostics: diagnostics)
        }
        if let interactiveOptions = self.interactiveOptions {
            signals.stop()
            do {
                try await frontEnd.runInteractive(options: interactiveOptions)
                return .success
            } catch {
                self.diagnostics.error("\(error)")
                return .failure
            }
        }
        do {
            let (outcome, _) = try await signals.handlingSignal({ _ in await frontEnd.stop() }) {
                try await frontEnd.run()
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

    /// One status line per client event, `wsc: 127.0.0.1:52144: …`; with `-v`, a client's handshake.
    private static func show(_ event: ListenEvent, diagnostics: Diagnostics) {
        if case .connected(_, let handshake) = event {
            diagnostics.handshake(handshake)
        }
        diagnostics.status("\(event.peer): \(event.summary)")
    }
}

import WSEngine
import WSTerminal

/// `--listen`: binds, serves clients until a signal, and decides the exit status, as ``Runner`` does for a
/// client.
///
/// A signal is the normal way to stop a server, so it closes every client with 1001 and exits 0, unlike a
/// client's 130. Clients that break the protocol or go away are reported on stderr as status lines: they
/// end their own session, not the server.
struct ListenRunner {
    private let configuration: ServerConfiguration
    private let options: ListenOptions
    private let diagnostics: Diagnostics

    init(options: RootCommand) {
        self.configuration = options.serverConfiguration(listening: options.modes.listen!)
        self.options = options.listenOptions()
        self.diagnostics = Diagnostics(verbose: options.output.verbose, quiet: options.output.quiet)
    }

    func run() async -> ExitStatus {
        let signals = SignalWatcher(closeTimeout: self.configuration.closeTimeout)
        let listener: WebSocketListener
        do {
            listener = try await WebSocketServer.listen(self.configuration)
        } catch {
            self.diagnostics.error(error.description)
            return Runner.status(for: error.category)
        }
        self.diagnostics.status(
            "listening on ws://\(listener.localAddress)/\(self.options.echo ? " (echo)" : ""); Ctrl-C stops"
        )
        let diagnostics = self.diagnostics
        let frontEnd = ListenFrontEnd(listener: listener, options: self.options) { event in
            Self.show(event, diagnostics: diagnostics)
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
        switch event {
        case .connected(let peer, let handshake):
            diagnostics.handshake(handshake)
            let extras = [
                handshake.subprotocol.map { "subprotocol \($0)" }, handshake.compression.map { _ in "compressed" },
            ]
            let details = extras.compactMap { $0 }
            diagnostics.status("\(peer): connected\(details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")")
        case .closed(let peer, let report):
            diagnostics.status("\(peer): \(report.summary(peer: "client"))")
        case .refused(let peer, let reason):
            diagnostics.status("\(peer): \(reason)")
        }
    }
}

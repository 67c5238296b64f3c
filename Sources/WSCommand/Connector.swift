import WSEngine

/// Opens the runner's connection and, with `-L`, follows the server's redirects (curl's `--location`), each
/// to a URL resolved against the one before, with credentials and `-H` headers only for the same origin, and
/// never from `wss://` to `ws://`. Every failure is
/// reported here, as one error line (and, with `-v`, the server's answer), and comes back as its exit status.
struct Connector {
    /// What came of connecting.
    enum Outcome {
        /// Connected to `url`: the command line's, or after `-L` where the redirects led.
        case connected(WebSocketConnection, url: WebSocketURL)
        case failed(ExitStatus)
    }

    let configuration: ClientConfiguration
    /// How many redirects to follow (`--max-redirs`); `nil` follows none (no `-L`).
    let redirectLimit: Int?
    /// To build the TLS context again for a URL a redirect leads to: a `ws://` URL got none.
    let tls: TLSOptions
    let diagnostics: Diagnostics

    func connect() async -> Outcome {
        var configuration = self.configuration
        var redirects = 0
        while true {
            let error: WebSocketClientError
            do {
                return .connected(try await WebSocketClient.connect(configuration), url: configuration.url)
            } catch let failure {
                error = failure
            }
            self.diagnostics.detail(error.details, prefix: "< ")
            guard let location = error.redirect else {
                self.diagnostics.error(error.description)
                return .failed(Runner.status(for: error.category))
            }
            guard let limit = self.redirectLimit else {
                let shown = Redaction.redactingPassword(inURL: location)
                self.diagnostics.error("\(error.description) (a redirect to \(shown): -L follows it)")
                return .failed(.handshakeRejected)
            }
            guard redirects < limit else {
                self.diagnostics.error("\(error.description): stopped after \(limit) redirects (--max-redirs)")
                return .failed(.handshakeRejected)
            }
            switch self.following(location, from: configuration) {
            case .success(let next):
                self.diagnostics.detail(["redirected to \(next.url)"], prefix: "* ")
                configuration = next
                redirects += 1
            case .failure(let failure):
                self.diagnostics.error(failure.description)
                return .failed(Runner.status(for: failure.category))
            }
        }
    }

    /// The configuration for the redirect to `location`, or why it cannot be followed.
    private func following(
        _ location: String,
        from configuration: ClientConfiguration
    ) -> Result<ClientConfiguration, WebSocketClientError> {
        let url: WebSocketURL
        do {
            url = try configuration.url.resolvingRedirect(to: location)
        } catch {
            let shown = Redaction.redactingPassword(inURL: location)
            return .failure(.handshakeRejected("cannot follow the redirect to '\(shown)': \(error)"))
        }
        var next: ClientConfiguration
        do {
            next = try configuration.redirected(to: url)
        } catch {
            switch error {
            case .tlsDowngrade:
                return .failure(
                    .handshakeRejected(
                        "refused to follow the redirect from \(configuration.url) to \(url): it leaves TLS (wss:// to "
                            + "ws://), and the session would continue unencrypted"
                    )
                )
            }
        }
        do {
            next.tls = try self.tls.clientContext(for: url)
        } catch {
            return .failure(error)
        }
        return .success(next)
    }
}

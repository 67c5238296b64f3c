import WSEngine

/// Opens the runner's connection and, with `-L`, follows the server's redirects (curl's `--location`), each
/// to a URL resolved against the one before, with credentials and `-H` headers only for the same origin, and
/// never from `wss://` to `ws://`, and through the proxy that the plan's route gives the new URL. With `-v` it
/// shows the proxy, each refusal's answer and each redirect; a failure comes back as an error for the runner
/// to report, naming the environment variable that set a proxy which could not be reached.
struct Connector: Sendable {
    /// What came of connecting.
    enum Outcome: Sendable {
        /// Connected to `url`: the command line's, or after `-L` where the redirects led.
        case connected(WebSocketConnection, url: WebSocketURL)
        case failed(WebSocketClientError)
    }

    /// The redirect limit (`nil`: no `-L`) and the TLS settings and proxies for the URLs redirects lead to.
    let plan: ClientPlan
    let diagnostics: Diagnostics

    func connect(_ configuration: ClientConfiguration) async -> Outcome {
        var configuration = configuration
        var proxy = self.plan.proxy
        var redirects = 0
        while true {
            if let proxy {
                let source = proxy.variable.map { " (from \($0))" } ?? ""
                let tunnel = "tunnel to \(configuration.url.hostAndPort)"
                self.diagnostics.detail(["proxy: \(proxy.proxy)\(source), \(tunnel)"], prefix: "* ")
            }
            let error: WebSocketClientError
            do {
                return .connected(try await WebSocketClient.connect(configuration), url: configuration.url)
            } catch let failure {
                error = failure
            }
            self.diagnostics.detail(error.details, prefix: "< ")
            guard let location = error.redirect else {
                guard let variable = proxy?.variable, error.category == .connectionFailed else {
                    return .failed(error)
                }
                return .failed(error.noting("the proxy is set by \(variable)"))
            }
            guard let limit = self.plan.redirectLimit else {
                let shown = Redaction.redactingPassword(inURL: location)
                return .failed(.handshakeRejected("\(error.description) (a redirect to \(shown): -L follows it)"))
            }
            guard redirects < limit else {
                return .failed(
                    .handshakeRejected("\(error.description): stopped after \(limit) redirects (--max-redirs)")
                )
            }
            switch self.following(location, from: configuration) {
            case .success(let next):
                self.diagnostics.detail(["redirected to \(next.configuration.url)"], prefix: "* ")
                (configuration, proxy) = next
                redirects += 1
            case .failure(let failure):
                return .failed(failure)
            }
        }
    }

    /// The configuration and proxy for the redirect to `location`, or why it cannot be followed.
    private func following(
        _ location: String,
        from configuration: ClientConfiguration
    ) -> Result<(configuration: ClientConfiguration, proxy: ProxyRoute.Choice?), WebSocketClientError> {
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
            next.tls = try self.plan.tlsContext(for: url)
        } catch {
            return .failure(error)
        }
        let proxy: ProxyRoute.Choice?
        do {
            proxy = try self.plan.proxyRoute.choice(for: url)
        } catch {
            return .failure(.handshakeRejected("cannot follow the redirect to \(url): \(error.message)"))
        }
        next.proxy = proxy?.proxy
        return .success((next, proxy))
    }
}

import ArgumentParser
import WSEngine

extension ConnectionOptions {
    /// The session's settings for `role`; the engine's defaults for what the command line leaves out.
    func sessionConfiguration(role: SessionRole, reportsPongs: Bool) -> SessionConfiguration {
        SessionConfiguration(
            role: role,
            maxMessageSize: self.maxMessageSize?.bytes,
            closeTimeout: self.closeTimeout.map { .seconds($0) } ?? SessionConfiguration.defaultCloseTimeout,
            keepalive: self.keepalive.map { keepalive in
                var keepalive = keepalive
                keepalive.reportsPongs = reportsPongs
                return keepalive
            },
            compression: !self.noCompression
        )
    }

    /// The engine's client configuration for the URL typed as `text`, but its proxy: the URL, headers and
    /// credentials, each parsed and checked against HTTP's grammar here (``RequestFieldCheck``).
    func clientConfiguration(url text: String, session: SessionConfiguration) throws -> ClientConfiguration {
        let url: WebSocketURL
        do {
            url = try WebSocketURL(parsing: text)
        } catch {
            throw ValidationError(error.description)
        }
        try RequestFieldCheck.credentials(url.credentials, of: "the URL")
        let auth = self.auth.flatMap { BasicCredentials(userColonPassword: $0) }
        try RequestFieldCheck.credentials(auth, of: "--auth")
        if let origin = self.origin {
            try RequestFieldCheck.value(origin, of: "--origin")
        }
        let handshakeProtocol = try self.handshakeProtocol(for: url)
        return ClientConfiguration(
            url: url,
            headers: try RequestFieldCheck.headers(
                self.headers,
                offersCompression: session.compression,
                over: handshakeProtocol
            ),
            origin: self.origin,
            subprotocols: try RequestFieldCheck.subprotocols(self.subprotocols),
            basicAuth: auth,
            connectTimeout: self.connectTimeout.map { .seconds($0) } ?? ClientConfiguration.defaultConnectTimeout,
            session: session,
            unixSocket: self.unixSocket,
            handshakeProtocol: handshakeProtocol
        )
    }

    /// The handshake's HTTP version for `url`: HTTP/2 with `--http2` (wss://) or `--http2-prior-knowledge`
    /// (ws://); a flag for the other scheme is a usage error.
    func handshakeProtocol(for url: WebSocketURL) throws -> HandshakeProtocol {
        if self.http2 && !url.isSecure {
            throw ValidationError(
                "--http2 negotiates HTTP/2 in the TLS handshake of a wss:// URL; for ws:// "
                    + "(h2c, without TLS) use --http2-prior-knowledge"
            )
        }
        if self.http2PriorKnowledge && url.isSecure {
            throw ValidationError("--http2-prior-knowledge is for ws:// (h2c); for wss:// use --http2")
        }
        return self.http2 || self.http2PriorKnowledge ? .http2 : .http1
    }

    /// Which proxy each URL goes through: `--proxy` and `--noproxy`, else the environment's variables.
    func proxyRoute(environment: ProcessEnvironment) throws -> ProxyRoute {
        try ProxyRoute(
            proxy: self.proxy,
            noProxy: self.noProxy,
            unixSocket: self.unixSocket != nil,
            variables: environment.variables
        )
    }
}

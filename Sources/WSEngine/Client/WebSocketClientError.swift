import WSTLS

/// Why a connection could not be opened: what happened in words, with the category the runner turns into an
/// exit code, and as data what the layer above words itself (the limit that passed, the TLS failure).
public struct WebSocketClientError: Error, Sendable, CustomStringConvertible {
    /// The broad kind of failure; each has its own exit code.
    public enum Category: Sendable, Equatable {
        /// Name resolution, TCP connect, or the connect timeout.
        case connectionFailed
        /// The server answered the upgrade request with something other than a valid 101 response.
        case handshakeRejected
        /// TLS could not be established or verified.
        case tls
    }

    /// The kind of failure.
    public let category: Category
    /// One line: what happened and what to try.
    public let description: String
    /// More lines for a verbose report: response headers and the start of a refusal's body.
    public let details: [String]
    /// The `Location` of a refusal that is a redirect (3xx), for a caller that follows redirects.
    public let redirect: String?
    /// The configured limit that passed (the connect timeout), if that is what failed.
    public let limit: EngineLimit?
    /// The TLS failure, if that is what failed; ``description`` is then its own.
    public let tlsError: TLSError?
    /// The status code of the server's answer, when it answered the upgrade with something other than 101.
    public let status: Int?
    /// How long a 429 or 503 answer asked the client to wait before trying again (`Retry-After`).
    public let retryAfter: Duration?
    /// What the socket layer reported, when that is why no connection was made.
    public let socketFailure: SocketFailure?

    /// A failure below the handshake, as data for a caller that counts failures by cause.
    public enum SocketFailure: Sendable, Equatable {
        /// The host name could not be resolved.
        case nameNotResolved
        /// The peer refused the TCP connection (`ECONNREFUSED`).
        case refused
        /// Another socket error, such as an unreachable network or a reset.
        case other
    }

    init(
        _ category: Category,
        _ description: String,
        details: [String] = [],
        redirect: String? = nil,
        limit: EngineLimit? = nil,
        tlsError: TLSError? = nil,
        status: Int? = nil,
        retryAfter: Duration? = nil,
        socketFailure: SocketFailure? = nil
    ) {
        self.category = category
        self.description = description
        self.details = details
        self.redirect = redirect
        self.limit = limit
        self.tlsError = tlsError
        self.status = status
        self.retryAfter = retryAfter
        self.socketFailure = socketFailure
    }

    /// The server answered the upgrade with another status than 101.
    init(_ refusal: Refusal) {
        self.init(
            .handshakeRejected,
            "server refused the upgrade: \(refusal.statusLine)",
            details: refusal.details,
            redirect: refusal.location,
            status: refusal.status,
            retryAfter: refusal.retryAfter
        )
    }

    static func connectionFailed(
        _ description: String,
        limit: EngineLimit? = nil,
        socketFailure: SocketFailure? = nil
    ) -> Self {
        Self(.connectionFailed, description, limit: limit, socketFailure: socketFailure)
    }

    /// The server, or what it answered, does not allow a WebSocket session on this URL.
    public static func handshakeRejected(
        _ description: String,
        details: [String] = [],
        redirect: String? = nil
    ) -> Self {
        Self(.handshakeRejected, description, details: details, redirect: redirect)
    }
}

extension WebSocketClientError {
    /// The same error with `note` in parentheses after its description: what only the caller knows, such as
    /// where the proxy's setting came from.
    public func noting(_ note: String) -> Self {
        Self(
            self.category,
            "\(self.description) (\(note))",
            details: self.details,
            redirect: self.redirect,
            limit: self.limit,
            tlsError: self.tlsError,
            status: self.status,
            retryAfter: self.retryAfter,
            socketFailure: self.socketFailure
        )
    }

    /// A TLS failure: the handshake, the server's certificate, or a CA, certificate or key file.
    ///
    /// Public because the command layer builds the TLS context itself (so bad files fail before connecting)
    /// and reports its failure through the same category, and so the same exit code, as a failed handshake.
    public static func tls(_ error: TLSError) -> Self {
        Self(.tls, error.description, tlsError: error)
    }
}

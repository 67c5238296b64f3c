import WSTLS

/// Why a connection could not be opened, in words for the user, with the category the runner turns into
/// an exit code.
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
    /// More lines for `-v`: response headers and the start of a refusal's body.
    public let details: [String]
    /// The `Location` of a refusal that is a redirect (3xx), which `-L` follows.
    public let redirect: String?

    init(_ category: Category, _ description: String, details: [String] = [], redirect: String? = nil) {
        self.category = category
        self.description = description
        self.details = details
        self.redirect = redirect
    }

    static func connectionFailed(_ description: String) -> Self {
        Self(.connectionFailed, description)
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
    /// A TLS failure: the handshake, the server's certificate, or a `--cacert`, `--cert` or `--key` file.
    ///
    /// Public because the command layer builds the TLS context itself (so bad files fail before connecting)
    /// and reports its failure through the same category, and so the same exit code, as a failed handshake.
    /// The message is the `TLSError`'s own line, which already says what to do.
    public static func tls(_ error: TLSError) -> Self {
        Self(.tls, error.description)
    }
}

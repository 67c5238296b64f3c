import WSTLS

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

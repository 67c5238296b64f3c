/// The user inbound event `TLSClientHandler` fires once its handshake completes.
///
/// Handlers further up the pipeline (the connector, for `-v`) learn from it what was negotiated. It fires
/// before the writes that waited for the handshake are encrypted and sent, so a log line printed on it comes
/// before anything the request provokes. With TLS 1.3 the server judges our certificate after this point: a
/// refused client certificate arrives as an error after the event.
public struct TLSHandshakeCompleted: Sendable, Equatable {
    /// What the handshake agreed on.
    public var session: TLSSessionInfo

    /// Creates the event for `session`.
    public init(session: TLSSessionInfo) {
        self.session = session
    }
}

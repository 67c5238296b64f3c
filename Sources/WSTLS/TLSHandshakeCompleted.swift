/// The user inbound event `TLSClientHandler` fires once its handshake completes.
///
/// Handlers further up the pipeline (the connector, for `-v`) learn from it what was negotiated. Application
/// data written before this event is already on its way, encrypted, when it fires.
public struct TLSHandshakeCompleted: Sendable, Equatable {
    /// What the handshake agreed on.
    public var session: TLSSessionInfo

    /// Creates the event for `session`.
    public init(session: TLSSessionInfo) {
        self.session = session
    }
}

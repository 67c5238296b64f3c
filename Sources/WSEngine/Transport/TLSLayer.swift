import NIOCore
import WSTLS

/// The TLS part of a `wss://` connection's pipeline: the handler that encrypts, first in the pipeline so that
/// the HTTP upgrade request is its first application data, and the observer that keeps what it reports.
struct TLSLayer: Sendable {
    private let context: TLSClientContext
    private let observer = TLSHandshakeObserver()

    /// Uses `context`, or builds one with the safe defaults and `applicationProtocols` for ALPN when it is
    /// `nil`.
    init(context: TLSClientContext?, applicationProtocols: [String]) throws(WebSocketClientError) {
        if let context {
            self.context = context
            return
        }
        do {
            self.context = try TLSClientContext(
                configuration: TLSConfiguration(applicationProtocols: applicationProtocols)
            )
        } catch {
            throw .tls(error)
        }
    }

    /// What the TLS handshake agreed on, once it completed.
    var summary: TLSSessionInfo? {
        self.observer.summary
    }

    /// When the TLS handshake completed, if it did.
    var completed: ContinuousClock.Instant? {
        self.observer.completed
    }

    /// The TLS failure behind `error`, a failure of the opening handshake, if TLS explains it.
    ///
    /// That is the first TLS failure of the connection, when there was one: everything after it is its
    /// consequence. Without one, a server that asked for a client certificate we did not send and then hung up
    /// before answering the upgrade request is reported as such: it may have refused us for the certificate
    /// (a TLS 1.3 server judges it after the client's side of the handshake is over), or for another reason,
    /// since the request may have been optional. Only an alert would tell; the TLS handler reports those.
    func failure(explaining error: any Error) -> TLSError? {
        if let failure = self.observer.error {
            return failure
        }
        let hungUp = error is ChannelError || error is IOError
        if hungUp, self.observer.summary?.clientCertificateRequested == true {
            return .closedAfterCertificateRequest
        }
        return nil
    }

    /// Adds the TLS handler and its observer to a channel that is not active yet; the handshake with `host`
    /// (the URL's host, checked against the certificate) starts when the TCP connection is up.
    func install(on channel: any Channel, host: String) throws {
        try channel.pipeline.syncOperations.addHandlers(
            TLSClientHandler(context: self.context, host: host),
            self.observer
        )
    }
}

/// What a completed TLS handshake agreed on and whom it reached, for a verbose report.
public struct TLSSessionInfo: Sendable, Equatable {
    /// The protocol version in OpenSSL's spelling, for example `TLSv1.3`.
    public var protocolVersion: String
    /// The cipher suite's OpenSSL name, for example `TLS_AES_256_GCM_SHA384`.
    public var cipherSuite: String
    /// The subject of the server's certificate on one line, for example `CN = example.com`.
    public var peerSubject: String?
    /// The issuer of the server's certificate on one line.
    public var peerIssuer: String?
    /// The protocol the server selected with ALPN (RFC 7301), if it selected one.
    public var applicationProtocol: String?
    /// Whether the certificate chain and name were verified; `false` when verification was turned off.
    public var peerVerified: Bool
    /// Whether the server asked for a client certificate that was not sent, because none was configured.
    ///
    /// A server that then refuses the connection should say so with an alert, but not every one does (Python's
    /// asyncio closes the socket before its alert is written): with this, the layer above can still explain a
    /// connection closed right after the handshake.
    public var clientCertificateRequested: Bool

    /// Creates a session description.
    public init(
        protocolVersion: String,
        cipherSuite: String,
        peerSubject: String?,
        peerIssuer: String?,
        applicationProtocol: String?,
        peerVerified: Bool,
        clientCertificateRequested: Bool = false
    ) {
        self.protocolVersion = protocolVersion
        self.cipherSuite = cipherSuite
        self.peerSubject = peerSubject
        self.peerIssuer = peerIssuer
        self.applicationProtocol = applicationProtocol
        self.peerVerified = peerVerified
        self.clientCertificateRequested = clientCertificateRequested
    }
}

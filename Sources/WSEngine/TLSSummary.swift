import WSTLS

/// What the TLS handshake of a `wss://` connection agreed on, for `-v`.
///
/// The engine's own copy of `TLSSessionInfo`, so that front ends can show it without importing the TLS
/// library: the engine is the only layer above `WSTLS` that knows OpenSSL is underneath.
public struct TLSSummary: Sendable, Equatable {
    /// The protocol version in OpenSSL's spelling, for example `TLSv1.3`.
    public var protocolVersion: String
    /// The cipher suite's OpenSSL name, for example `TLS_AES_256_GCM_SHA384`.
    public var cipherSuite: String
    /// The subject of the server's certificate on one line, for example `CN = localhost`.
    public var peerSubject: String?
    /// The issuer of the server's certificate on one line.
    public var peerIssuer: String?
    /// The protocol the server selected with ALPN (RFC 7301), if it selected one.
    public var applicationProtocol: String?
    /// Whether the certificate chain and name were verified; `false` under `-k`.
    public var peerVerified: Bool
    /// Whether the server asked for a client certificate that was not sent.
    public var clientCertificateRequested: Bool

    /// Creates a summary; front-end tests build one by hand.
    public init(
        protocolVersion: String,
        cipherSuite: String,
        peerSubject: String? = nil,
        peerIssuer: String? = nil,
        applicationProtocol: String? = nil,
        peerVerified: Bool = true,
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

    init(_ session: TLSSessionInfo) {
        self.init(
            protocolVersion: session.protocolVersion,
            cipherSuite: session.cipherSuite,
            peerSubject: session.peerSubject,
            peerIssuer: session.peerIssuer,
            applicationProtocol: session.applicationProtocol,
            peerVerified: session.peerVerified,
            clientCertificateRequested: session.clientCertificateRequested
        )
    }
}

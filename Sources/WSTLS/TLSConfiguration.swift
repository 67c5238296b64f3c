/// How `wsc` speaks TLS: what it trusts, what it presents, and which name it checks.
///
/// The defaults are the safe ones: the server's certificate chain and name are verified against the system
/// trust store, TLS 1.2 is the oldest version offered (RFC 8996 retired 1.0 and 1.1), and ALPN offers only
/// `http/1.1`, because a WebSocket opening handshake is an HTTP/1.1 request (RFC 6455 section 4.1).
public struct TLSConfiguration: Sendable, Equatable {
    /// Whether the server's certificate chain and name are checked; `false` when the user turns verification off.
    public var verifyPeer: Bool
    /// A PEM bundle of CA certificates that replaces the system trust store.
    ///
    /// When `nil`, OpenSSL's default locations are used (`SSL_CTX_set_default_verify_paths(3)`), so the
    /// `SSL_CERT_FILE` and `SSL_CERT_DIR` environment variables apply as they do for curl.
    public var caFile: String?
    /// A PEM client certificate, optionally followed by its chain, for servers that ask for one.
    public var certificateFile: String?
    /// The PEM private key of `certificateFile`; when `nil` the key is read from `certificateFile`.
    public var privateKeyFile: String?
    /// The name sent in SNI and checked against the certificate instead of the URL's host, when the two differ
    /// (a server reached through an IP address or a tunnel). An IP literal here is checked as an address.
    public var serverName: String?
    /// The ALPN protocols offered, most preferred first (RFC 7301).
    public var applicationProtocols: [String]
    /// The oldest protocol version accepted.
    public var minimumVersion: TLSVersion
    /// The newest protocol version offered; `nil` for the newest OpenSSL speaks.
    public var maximumVersion: TLSVersion?

    /// Creates a configuration; every parameter has the safe default.
    public init(
        verifyPeer: Bool = true,
        caFile: String? = nil,
        certificateFile: String? = nil,
        privateKeyFile: String? = nil,
        serverName: String? = nil,
        applicationProtocols: [String] = ["http/1.1"],
        minimumVersion: TLSVersion = .tls12,
        maximumVersion: TLSVersion? = nil
    ) {
        self.verifyPeer = verifyPeer
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
        self.serverName = serverName
        self.applicationProtocols = applicationProtocols
        self.minimumVersion = minimumVersion
        self.maximumVersion = maximumVersion
    }
}

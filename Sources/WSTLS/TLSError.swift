/// Why TLS failed: as data (``reason``), and as one line that says what happened and what the server or the
/// machine should change; what to change in wsc's own settings is for the layer above to add.
///
/// `TLSClientContext` throws these for bad files; `TLSClientHandler` fires them through `errorCaught` and then
/// closes the channel. Every TLS failure maps to the same exit code, so callers only need to know that an
/// error is a `TLSError`; `kind` is there for code that wants to react to one class of failure.
public struct TLSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file of the configuration.
    public enum File: Sendable, Equatable {
        /// ``TLSConfiguration/caFile``.
        case caCertificates
        /// ``TLSConfiguration/certificateFile``.
        case certificate
        /// ``TLSConfiguration/privateKeyFile``.
        case privateKey

        var name: String {
            switch self {
            case .caCertificates: "CA certificates"
            case .certificate: "certificate"
            case .privateKey: "private key"
            }
        }
    }

    /// What failed, with what the line names.
    public enum Reason: Sendable, Equatable {
        case unknownIssuer(host: String, reason: String)
        case selfSigned(host: String)
        case nameMismatch(host: String, certificateNames: [String])
        case expired(host: String, notAfter: String?)
        case notYetValid(host: String, notBefore: String?)
        case certificateRejected(host: String, reason: String)
        case alertReceived(alert: String)
        case clientCertificateRequired
        case notTLS(reason: String)
        case handshakeFailed(reason: String)
        case closedDuringHandshake
        case closedAfterCertificateRequest
        case connectionFailed(reason: String)
        case unreadableFile(File, path: String, reason: String)
        case invalidFile(File, path: String, reason: String)
        case encryptedKey(path: String)
        case keyMismatch(keyPath: String, certificatePath: String)
        case invalidSetting(reason: String)
    }

    /// What failed.
    public let reason: Reason

    private init(_ reason: Reason) {
        self.reason = reason
    }

    /// The server's certificate chains up to no CA we trust (the CA file, ``TLSConfiguration/caFile``, or the
    /// system store).
    static func unknownIssuer(host: String, reason: String) -> TLSError {
        TLSError(.unknownIssuer(host: host, reason: reason))
    }

    /// The server presented a self-signed certificate that we do not trust.
    static func selfSigned(host: String) -> TLSError {
        TLSError(.selfSigned(host: host))
    }

    /// The certificate is valid but for other names than the one we connected to.
    static func nameMismatch(host: String, certificateNames: [String]) -> TLSError {
        TLSError(.nameMismatch(host: host, certificateNames: certificateNames))
    }

    /// A certificate in the chain has expired; `notAfter` is the server certificate's end date if it is the one.
    static func expired(host: String, notAfter: String?) -> TLSError {
        TLSError(.expired(host: host, notAfter: notAfter))
    }

    /// A certificate in the chain is not valid yet.
    static func notYetValid(host: String, notBefore: String?) -> TLSError {
        TLSError(.notYetValid(host: host, notBefore: notBefore))
    }

    /// Any other verification failure, with OpenSSL's `X509_verify_cert_error_string(3)`.
    static func certificateRejected(host: String, reason: String) -> TLSError {
        TLSError(.certificateRejected(host: host, reason: reason))
    }

    /// The server aborted with a TLS alert (RFC 8446 section 6.2), named by `SSL_alert_desc_string_long(3)`.
    static func alertReceived(_ alert: String) -> TLSError {
        TLSError(.alertReceived(alert: alert))
    }

    /// The server said, with an alert, that it wanted a client certificate and we had none to send.
    static var clientCertificateRequired: TLSError {
        TLSError(.clientCertificateRequired)
    }

    /// The bytes the server sent back are not TLS records: likely a plain-text service on that port.
    static func notTLS(reason: String) -> TLSError {
        TLSError(.notTLS(reason: reason))
    }

    /// The handshake failed for a reason not covered above; `reason` is OpenSSL's.
    static func handshakeFailed(reason: String) -> TLSError {
        TLSError(.handshakeFailed(reason: reason))
    }

    /// The server closed the TCP connection before the handshake completed.
    static var closedDuringHandshake: TLSError {
        TLSError(.closedDuringHandshake)
    }

    /// The server asked for a client certificate, we had none to send, and it hung up without an alert: it
    /// may require one, or it may have closed for another reason (the request may have been optional).
    ///
    /// Public for the layer above, which learns of the request from `TLSSessionInfo.clientCertificateRequested`
    /// when the server hangs up after the client's side of a TLS 1.3 handshake is complete.
    public static var closedAfterCertificateRequest: TLSError {
        TLSError(.closedAfterCertificateRequest)
    }

    /// An established connection failed (a bad record, an unexpected message); `reason` is OpenSSL's.
    static func connectionFailed(reason: String) -> TLSError {
        TLSError(.connectionFailed(reason: reason))
    }

    /// A file of the configuration could not be read at all.
    static func unreadableFile(_ file: File, path: String, reason: String) -> TLSError {
        TLSError(.unreadableFile(file, path: path, reason: reason))
    }

    /// A file of the configuration was read but is not what it should be.
    static func invalidFile(_ file: File, path: String, reason: String) -> TLSError {
        TLSError(.invalidFile(file, path: path, reason: reason))
    }

    /// The private key is protected by a passphrase, which `wsc` does not prompt for.
    static func encryptedKey(path: String) -> TLSError {
        TLSError(.encryptedKey(path: path))
    }

    /// The private key does not belong to the client certificate.
    static func keyMismatch(keyPath: String, certificatePath: String) -> TLSError {
        TLSError(.keyMismatch(keyPath: keyPath, certificatePath: certificatePath))
    }

    /// A setting OpenSSL refused, such as an ALPN name longer than 255 bytes.
    static func invalidSetting(_ reason: String) -> TLSError {
        TLSError(.invalidSetting(reason: reason))
    }

    /// The class of this failure.
    public var kind: Kind {
        switch self.reason {
        case .unknownIssuer, .selfSigned: .untrustedCertificate
        case .nameMismatch: .nameMismatch
        case .expired: .certificateExpired
        case .notYetValid: .certificateNotYetValid
        case .certificateRejected: .certificateRejected
        case .alertReceived: .alertReceived
        case .clientCertificateRequired: .clientCertificateRequired
        case .notTLS, .handshakeFailed, .closedDuringHandshake, .closedAfterCertificateRequest: .handshakeFailed
        case .connectionFailed: .connectionFailed
        case .unreadableFile, .invalidFile, .encryptedKey, .keyMismatch, .invalidSetting: .invalidConfiguration
        }
    }

    /// One line: what failed, and what the server or this machine should change.
    public var description: String {
        switch self.reason {
        case .unknownIssuer(let host, let reason):
            "TLS: the certificate of \(host) is not signed by a trusted CA (\(reason))"
        case .selfSigned(let host):
            "TLS: the certificate of \(host) is self-signed"
        case .nameMismatch(let host, let names):
            "TLS: the certificate is not valid for \(host); "
                + (names.isEmpty
                    ? "it names no host in its subjectAltName (a name in its subject alone is not accepted)"
                    : "it is for \(names.joined(separator: ", "))")
        case .expired(let host, let notAfter):
            "TLS: the certificate of \(host) "
                + (notAfter.map { "expired on \($0)" } ?? "has an expired certificate in its chain")
                + ": the server must renew it"
        case .notYetValid(let host, let notBefore):
            "TLS: the certificate of \(host) "
                + (notBefore.map { "is not valid before \($0)" }
                    ?? "has a certificate in its chain that is not valid yet")
                + ": check this computer's clock"
        case .certificateRejected(let host, let reason):
            "TLS: the certificate of \(host) was rejected: \(reason)"
        case .alertReceived(let alert):
            "TLS: the server aborted the connection with the alert '\(alert)': check the server's TLS settings and logs"
        case .clientCertificateRequired:
            "TLS: the server requires a client certificate"
        case .notTLS(let reason):
            "TLS: the server did not answer with TLS (\(reason)): is the port right, or did you mean ws:// ?"
        case .handshakeFailed(let reason):
            "TLS: the handshake failed: \(reason)"
        case .closedDuringHandshake:
            "TLS: the server closed the connection during the handshake: check the port and the server's TLS settings"
        case .closedAfterCertificateRequest:
            "TLS: the server closed the connection during the handshake, without saying why; it had asked for a "
                + "client certificate and none was sent"
        case .connectionFailed(let reason):
            "TLS: the connection failed: \(reason)"
        case .unreadableFile(let file, let path, let reason):
            "TLS: cannot read the \(file.name) file \(path): \(reason)"
        case .invalidFile(let file, let path, let reason):
            "TLS: the \(file.name) file \(path) is not usable: \(reason); it must be PEM"
        case .encryptedKey(let path):
            "TLS: the key \(path) is protected by a passphrase, which wsc does not ask for: "
                + "decrypt it with openssl pkey -in \(path) -out KEYFILE"
        case .keyMismatch(let keyPath, let certificatePath):
            "TLS: the key \(keyPath) does not belong to the certificate \(certificatePath)"
        case .invalidSetting(let reason):
            "TLS: \(reason)"
        }
    }
}

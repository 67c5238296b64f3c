import COpenSSL
import NIOCore

/// One client-side TLS connection: an OpenSSL `SSL` object that reads the peer's bytes from, and leaves its own
/// in, a `NetworkBIO`, so that NIO, not OpenSSL, owns the socket.
///
/// Every method returns a `TLSResult` and hides OpenSSL's return-code conventions. Not thread-safe: the
/// owning channel handler calls it on its event loop only (OpenSSL's error queue is per thread, too).
final class TLSConnection {
    /// What `SSL_set_app_data(3)` holds once the server asked for a client certificate we do not have.
    static var clientCertificateRequestedMarker: UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: 1)!
    }

    private let ssl: OpaquePointer
    /// Ciphertext both ways; its BIO is owned by `ssl`, and it must outlive `ssl`.
    private let network: NetworkBIO
    /// Keeps the configuration (and, through `SSL_new`'s reference, the `SSL_CTX`) for this connection.
    private let context: TLSClientContext
    /// The name the certificate is checked against, for messages.
    private let serverName: TLSServerName

    /// Creates a connection to `serverName`, ready for `handshake()`.
    ///
    /// SNI is sent for DNS names only. With verification on, the name is checked by OpenSSL during the
    /// handshake: `SSL_set1_host(3)` for a DNS name, `X509_VERIFY_PARAM_set1_ip_asc(3)` for an IP address.
    init(context: TLSClientContext, serverName: TLSServerName) throws(TLSError) {
        OpenSSLErrorQueue.clear()
        guard let ssl = SSL_new(context.sslContext) else {
            throw .invalidSetting(OpenSSLErrorQueue.drainReason(or: "OpenSSL could not create a connection"))
        }
        let network = NetworkBIO()
        // One BIO for both directions: SSL_set_bio(3) then takes its single reference.
        SSL_set_bio(ssl, network.bio, network.bio)
        SSL_set_connect_state(ssl)
        self.ssl = ssl
        self.network = network
        self.context = context
        self.serverName = serverName

        let verify = context.configuration.verifyPeer
        switch serverName {
        case .dnsName(let name):
            // The command line refuses such names; this layer does not rely on it. A leading dot would make
            // SSL_set1_host(3) accept a certificate for any name under the rest (X509_check_host(3)).
            guard !name.isEmpty, !name.hasPrefix("."), !name.hasSuffix("."), !name.contains("..") else {
                throw .invalidSetting("'\(name)' is not a host name: it has an empty label")
            }
            guard wsc_SSL_set_tlsext_host_name(ssl, name) == 1 else {
                throw .invalidSetting("'\(name)' cannot be sent as a TLS server name")
            }
            if verify {
                // Wildcards match one whole label only (RFC 6125 section 6.4.3), as curl and browsers do. The
                // subject's CN is never read as a host name, even when the subjectAltName lists no DNS name:
                // RFC 6125 section 6.4.4 leaves that fallback to legacy clients, and browsers dropped it.
                SSL_set_hostflags(
                    ssl,
                    UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT)
                )
                guard SSL_set1_host(ssl, name) == 1 else {
                    throw .invalidSetting("'\(name)' cannot be checked as a host name")
                }
            }
        case .ipAddress(let address):
            if verify {
                guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), address) == 1 else {
                    throw .invalidSetting("'\(address)' cannot be checked as an IP address")
                }
            }
        }
        OpenSSLErrorQueue.clear()
    }

    deinit {
        SSL_free(self.ssl)
    }

    /// Hands bytes read from the socket to OpenSSL.
    func receive(_ ciphertext: ByteBuffer) {
        self.network.receive(ciphertext)
    }

    /// Ciphertext bytes not yet decrypted: an upper bound on the plaintext the next reads can produce.
    var bufferedCiphertextCount: Int {
        self.network.inputCount + Int(SSL_pending(self.ssl))
    }

    /// Makes room for `count` more bytes of output, so that encrypting a large write fills one buffer.
    func reserveOutput(_ count: Int) {
        self.network.reserveOutput(count)
    }

    /// The number of bytes OpenSSL has produced for the socket and nobody has taken yet.
    var pendingOutputCount: Int {
        self.network.outputCount
    }

    /// Drops all output but the first `count` bytes.
    func discardOutput(keeping count: Int) {
        self.network.discardOutput(keeping: count)
    }

    /// Everything OpenSSL has produced for the socket since the last call, or `nil` when there is nothing.
    func takeOutput() -> ByteBuffer? {
        self.network.takeOutput()
    }

    /// Advances the handshake as far as the received bytes allow (`SSL_do_handshake(3)`).
    func handshake() -> TLSResult<Void> {
        OpenSSLErrorQueue.clear()
        let returnCode = SSL_do_handshake(self.ssl)
        if returnCode == 1 {
            return .complete(())
        }
        switch self.failure(returnCode, duringHandshake: true) {
        case .incomplete: return .incomplete
        case .closeNotify: return .failed(.closedDuringHandshake)
        case .failed(let error): return .failed(error)
        }
    }

    /// Decrypts application data into `buffer`'s writable space (`SSL_read_ex(3)`), at most one record.
    func read(into buffer: inout ByteBuffer) -> TLSResult<TLSRead> {
        OpenSSLErrorQueue.clear()
        var returnCode: Int32 = 0
        let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 1) { target in
            var read = 0
            returnCode = SSL_read_ex(self.ssl, target.baseAddress, target.count, &read)
            return returnCode == 1 ? read : 0
        }
        if returnCode == 1 {
            return .complete(.bytes(count))
        }
        switch self.failure(returnCode, duringHandshake: false) {
        case .incomplete: return .incomplete
        case .closeNotify: return .complete(.closeNotify)
        case .failed(let error): return .failed(error)
        }
    }

    /// Encrypts all of `plaintext` into the output (`SSL_write_ex(3)`).
    ///
    /// The network BIO never pushes back, so `.incomplete` means that OpenSSL must read first: a TLS 1.2
    /// server asked to renegotiate, and nothing was encrypted. Call again with the same bytes after the next
    /// read; a write is never left half done.
    func write(_ plaintext: ByteBuffer) -> TLSResult<Void> {
        OpenSSLErrorQueue.clear()
        let returnCode = plaintext.withUnsafeReadableBytes { bytes in
            var written = 0
            return SSL_write_ex(self.ssl, bytes.baseAddress, bytes.count, &written)
        }
        if returnCode == 1 {
            return .complete(())
        }
        switch self.failure(returnCode, duringHandshake: false) {
        case .incomplete: return .incomplete
        case .closeNotify: return .failed(.connectionFailed(reason: "the server closed the connection"))
        case .failed(let error): return .failed(error)
        }
    }

    /// Queues our `close_notify` alert (RFC 8446 section 6.1) in the output (`SSL_shutdown(3)`).
    ///
    /// `.incomplete` means the alert was queued and the peer's has not arrived; `.complete` that both have.
    func shutdown() -> TLSResult<Void> {
        OpenSSLErrorQueue.clear()
        let returnCode = SSL_shutdown(self.ssl)
        switch returnCode {
        case 1:
            return .complete(())
        case 0:
            return .incomplete
        default:
            OpenSSLErrorQueue.clear()
            return .failed(.connectionFailed(reason: "close_notify could not be sent"))
        }
    }

    /// Whether the server asked for a client certificate that we did not have.
    var clientCertificateWasRequested: Bool {
        wsc_SSL_get_app_data(self.ssl) == Self.clientCertificateRequestedMarker
    }

    /// Why the server hung up in the middle of the handshake, as far as we know. A request for a certificate
    /// we did not send is worth mentioning, but it is no evidence that the certificate was required: only an
    /// alert is (see `alertError(description:)`), and a server that hangs up sends none.
    var closedDuringHandshakeError: TLSError {
        self.clientCertificateWasRequested ? .closedAfterCertificateRequest : .closedDuringHandshake
    }

    /// What the completed handshake negotiated.
    var sessionInfo: TLSSessionInfo {
        var alpnBytes: UnsafePointer<UInt8>?
        var alpnLength: UInt32 = 0
        SSL_get0_alpn_selected(self.ssl, &alpnBytes, &alpnLength)
        let alpn = alpnBytes.map {
            String(decoding: UnsafeBufferPointer(start: $0, count: Int(alpnLength)), as: UTF8.self)
        }
        let peer = SSL_get1_peer_certificate(self.ssl).map { X509Certificate(adopting: $0) }
        return TLSSessionInfo(
            protocolVersion: String(cString: SSL_get_version(self.ssl)),
            cipherSuite: SSL_get_current_cipher(self.ssl).map { String(cString: SSL_CIPHER_get_name($0)) } ?? "",
            peerSubject: peer?.subject,
            peerIssuer: peer?.issuer,
            applicationProtocol: alpn,
            peerVerified: self.context.configuration.verifyPeer && SSL_get_verify_result(self.ssl) == X509_V_OK,
            // The request comes before the server's Finished, so a completed handshake has seen it.
            clientCertificateRequested: self.clientCertificateWasRequested
        )
    }

    /// The leaf certificate the server sent, even when it failed verification (`SSL_get_peer_cert_chain(3)`
    /// keeps the chain as received; the verified peer certificate is only recorded on success).
    private var presentedCertificate: X509Certificate? {
        guard let chain = SSL_get_peer_cert_chain(self.ssl), wsc_sk_X509_num(chain) > 0,
            let leaf = wsc_sk_X509_value(chain, 0)
        else {
            return nil
        }
        return X509Certificate(retaining: leaf)
    }
}

extension TLSConnection {
    /// How a failed OpenSSL call ended, before it is told apart by operation.
    private enum Failure {
        case incomplete
        case closeNotify
        case failed(TLSError)
    }

    /// Reads `SSL_get_error(3)` for `returnCode`, then the error queue, into a `Failure`.
    private func failure(_ returnCode: Int32, duringHandshake: Bool) -> Failure {
        let code = SSL_get_error(self.ssl, returnCode)
        switch code {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .incomplete
        case SSL_ERROR_ZERO_RETURN:
            return .closeNotify
        default:
            return .failed(self.translateErrors(duringHandshake: duringHandshake))
        }
    }

    /// Turns OpenSSL's account of a failure into the `TLSError` that tells the user what to do.
    private func translateErrors(duringHandshake: Bool) -> TLSError {
        let entries = OpenSSLErrorQueue.drain()
        guard let first = entries.first(where: { $0.library == ERR_LIB_SSL }) ?? entries.first else {
            return duringHandshake ? .closedDuringHandshake : .connectionFailed(reason: "unexpected end of data")
        }
        if first.library == ERR_LIB_SSL {
            switch first.reason {
            case SSL_R_CERTIFICATE_VERIFY_FAILED:
                return self.verificationError()
            case SSL_AD_REASON_OFFSET..<(SSL_AD_REASON_OFFSET + 256):
                return self.alertError(description: first.reason - SSL_AD_REASON_OFFSET)
            case SSL_R_WRONG_VERSION_NUMBER, SSL_R_PACKET_LENGTH_TOO_LONG:
                if duringHandshake {
                    return .notTLS(reason: first.reasonText)
                }
            default:
                break
            }
        }
        return duringHandshake
            ? .handshakeFailed(reason: first.reasonText) : .connectionFailed(reason: first.reasonText)
    }

    /// A received alert (the error reason is `SSL_AD_REASON_OFFSET` plus the alert's code, RFC 8446 section 6).
    private func alertError(description: Int32) -> TLSError {
        let certificateWasRequested = self.clientCertificateWasRequested
        switch description {
        case TLS13_AD_CERTIFICATE_REQUIRED:
            return .clientCertificateRequired
        case SSL_AD_HANDSHAKE_FAILURE where certificateWasRequested,
            SSL_AD_BAD_CERTIFICATE where certificateWasRequested:
            // TLS 1.2 has no certificate_required alert; servers send one of these instead.
            return .clientCertificateRequired
        default:
            return .alertReceived(String(cString: SSL_alert_desc_string_long(description)))
        }
    }

    /// Maps `SSL_get_verify_result(3)` (an `X509_V_ERR_*` code, see `openssl-verify(1)`) to its `TLSError`.
    private func verificationError() -> TLSError {
        let host = self.serverName.text
        let result = Int32(SSL_get_verify_result(self.ssl))
        let reason = String(cString: X509_verify_cert_error_string(Int(result)))
        switch result {
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
            return .selfSigned(host: host)
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
            X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
            X509_V_ERR_CERT_UNTRUSTED:
            return .unknownIssuer(host: host, reason: reason)
        case X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH:
            return .nameMismatch(host: host, certificateNames: self.presentedCertificate?.subjectAlternativeNames ?? [])
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return .expired(host: host, notAfter: self.presentedCertificate?.expiry)
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return .notYetValid(host: host, notBefore: self.presentedCertificate?.validityStart)
        default:
            return .certificateRejected(host: host, reason: reason)
        }
    }
}

/// What one read of decrypted application data produced.
enum TLSRead {
    /// This many bytes of application data were appended to the buffer.
    case bytes(Int)
    /// The peer sent `close_notify` (RFC 8446 section 6.1): its data stream has ended cleanly.
    case closeNotify
}

/// The outcome of one OpenSSL operation on a non-blocking connection, with OpenSSL's return-code conventions
/// (`SSL_get_error(3)`) left behind in `TLSConnection`.
enum TLSResult<Value> {
    /// The operation needs more bytes from the network before it can go on.
    case incomplete
    /// The operation finished with this value.
    case complete(Value)
    /// The connection failed; nothing more can be done with it.
    case failed(TLSError)
}

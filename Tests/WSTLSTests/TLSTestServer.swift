import COpenSSL
import NIOCore

/// A TLS server for the tests, written straight against OpenSSL's server mode and independent of `WSTLS`,
/// so that a back-to-back test checks the client against OpenSSL rather than against itself.
///
/// It sits alone in an `EmbeddedChannel`: ciphertext in, ciphertext out; what it decrypts collects in
/// `received`, and `echo` sends it straight back.
final class TLSTestServer: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// How the server is set up.
    struct Options {
        /// The certificate (and key) name from `TestCertificates`.
        var certificate = "localhost"
        /// Ask for a client certificate and fail the handshake without one signed by the test CA.
        var requireClientCertificate = false
        /// Offer TLS 1.2 at most, for the TLS 1.2 paths.
        var maximumVersionTLS12 = false
        /// Answer ALPN with a fatal `no_application_protocol` alert.
        var refuseALPN = false
        /// Send every decrypted byte back.
        var echo = false
    }

    private let sslContext: OpaquePointer
    private let ssl: OpaquePointer
    private let input: OpaquePointer
    private let output: OpaquePointer
    private let options: Options
    private var context: ChannelHandlerContext?

    /// Whether the server's side of the handshake completed.
    private(set) var handshakeCompleted = false
    /// Application data decrypted so far.
    private(set) var received = ByteBuffer()
    /// Whether the client's `close_notify` arrived.
    private(set) var receivedCloseNotify = false
    /// OpenSSL's reason when the server failed.
    private(set) var failure: String?

    init(certificates: TestCertificates, options: Options = Options()) {
        self.options = options
        self.sslContext = SSL_CTX_new(TLS_server_method())!
        precondition(
            SSL_CTX_use_certificate_chain_file(self.sslContext, certificates.certificate(options.certificate)) == 1
        )
        precondition(
            SSL_CTX_use_PrivateKey_file(self.sslContext, certificates.key(options.certificate), SSL_FILETYPE_PEM) == 1
        )
        if options.requireClientCertificate {
            precondition(SSL_CTX_load_verify_locations(self.sslContext, certificates.caFile, nil) == 1)
            SSL_CTX_set_verify(self.sslContext, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        }
        if options.maximumVersionTLS12 {
            precondition(wsc_SSL_CTX_set_max_proto_version(self.sslContext, TLS1_2_VERSION) == 1)
        }
        if options.refuseALPN {
            SSL_CTX_set_alpn_select_cb(self.sslContext, { _, _, _, _, _, _ in SSL_TLSEXT_ERR_ALERT_FATAL }, nil)
        } else {
            SSL_CTX_set_alpn_select_cb(
                self.sslContext,
                { _, selected, selectedLength, offered, offeredLength, _ in
                    TLSTestServer.selectHTTP11(selected, selectedLength, offered, offeredLength)
                },
                nil
            )
        }
        self.ssl = SSL_new(self.sslContext)!
        self.input = BIO_new(BIO_s_mem())!
        self.output = BIO_new(BIO_s_mem())!
        SSL_set_bio(self.ssl, self.input, self.output)
        SSL_set_accept_state(self.ssl)
    }

    deinit {
        SSL_free(self.ssl)
        SSL_CTX_free(self.sslContext)
    }

    /// The server name the client sent with SNI, if any.
    var requestedServerName: String? {
        SSL_get_servername(self.ssl, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) }
    }

    /// The client certificate's subject, if the client sent one.
    var clientCertificateSubject: String? {
        guard let certificate = SSL_get1_peer_certificate(self.ssl) else {
            return nil
        }
        defer { X509_free(certificate) }
        guard let line = X509_NAME_oneline(X509_get_subject_name(certificate), nil, 0) else {
            return nil
        }
        defer { CRYPTO_free(line, #fileID, #line) }
        return String(cString: line)
    }

    /// Whether the server ended up on TLS 1.2.
    var negotiatedTLS12: Bool {
        SSL_version(self.ssl) == TLS1_2_VERSION
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = self.unwrapInboundIn(data)
        bytes.withUnsafeReadableBytes { _ = BIO_write(self.input, $0.baseAddress, Int32($0.count)) }
        if !self.handshakeCompleted, self.failure == nil {
            ERR_clear_error()
            let result = SSL_do_handshake(self.ssl)
            if result == 1 {
                self.handshakeCompleted = true
            } else if SSL_get_error(self.ssl, result) != SSL_ERROR_WANT_READ {
                self.failure = Self.errorReason()
            }
        }
        if self.handshakeCompleted {
            self.readApplicationData()
        }
        self.sendOutput()
    }

    /// Encrypts and sends `bytes`.
    func send(_ bytes: ByteBuffer) {
        bytes.withUnsafeReadableBytes { plaintext in
            var written = 0
            precondition(SSL_write_ex(self.ssl, plaintext.baseAddress, plaintext.count, &written) == 1)
        }
        self.sendOutput()
    }

    /// Asks the client to renegotiate (TLS 1.2 HelloRequest, RFC 5246 section 7.4.1.1); the new handshake
    /// runs as the client's answers are read.
    func requestRenegotiation() {
        precondition(self.negotiatedTLS12, "TLS 1.3 has no renegotiation")
        precondition(SSL_renegotiate(self.ssl) == 1)
        ERR_clear_error()
        precondition(SSL_do_handshake(self.ssl) == 1)
        self.sendOutput()
    }

    /// Whether a renegotiation was asked for and has not completed yet.
    var renegotiationPending: Bool {
        SSL_renegotiate_pending(self.ssl) == 1
    }

    /// Updates the server's keys and asks the client to update its own (TLS 1.3 KeyUpdate, RFC 8446 section
    /// 4.6.3).
    func requestKeyUpdate() {
        precondition(SSL_key_update(self.ssl, SSL_KEY_UPDATE_REQUESTED) == 1)
        ERR_clear_error()
        precondition(SSL_do_handshake(self.ssl) == 1)
        self.sendOutput()
    }

    /// Sends `close_notify`.
    func sendCloseNotify() {
        _ = SSL_shutdown(self.ssl)
        self.sendOutput()
    }

    private func readApplicationData() {
        var chunk = ByteBufferAllocator().buffer(capacity: 1 << 16)
        while true {
            chunk.clear()
            ERR_clear_error()
            var status: Int32 = 0
            chunk.writeWithUnsafeMutableBytes(minimumWritableBytes: 1 << 16) { target in
                var count = 0
                status = SSL_read_ex(self.ssl, target.baseAddress, target.count, &count)
                return status == 1 ? count : 0
            }
            if status == 1 {
                self.received.writeImmutableBuffer(chunk)
                if self.options.echo {
                    self.send(chunk)
                }
                continue
            }
            let code = SSL_get_error(self.ssl, status)
            if code == SSL_ERROR_ZERO_RETURN {
                self.receivedCloseNotify = true
            } else if code != SSL_ERROR_WANT_READ {
                self.failure = Self.errorReason()
            }
            return
        }
    }

    private func sendOutput() {
        let count = Int(wsc_BIO_pending(self.output))
        guard count > 0, let context = self.context else {
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: count)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { target in
            Int(BIO_read(self.output, target.baseAddress, Int32(count)))
        }
        context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
    }

    private static func errorReason() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        return code == 0 ? "no OpenSSL error" : String(cString: ERR_reason_error_string(code))
    }

    /// Picks `http/1.1` from the client's ALPN list (RFC 7301 section 3.2), pointing into the client's bytes.
    private static func selectHTTP11(
        _ selected: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
        _ selectedLength: UnsafeMutablePointer<UInt8>?,
        _ offered: UnsafePointer<UInt8>?,
        _ offeredLength: UInt32
    ) -> Int32 {
        guard let offered else {
            return SSL_TLSEXT_ERR_NOACK
        }
        let wanted = Array("http/1.1".utf8)
        var index = 0
        while index < Int(offeredLength) {
            let length = Int(offered[index])
            if Array(UnsafeBufferPointer(start: offered + index + 1, count: length)) == wanted {
                selected?.pointee = offered + index + 1
                selectedLength?.pointee = UInt8(length)
                return SSL_TLSEXT_ERR_OK
            }
            index += 1 + length
        }
        return SSL_TLSEXT_ERR_NOACK
    }
}

import COpenSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// An OpenSSL client context (`SSL_CTX`): the trust store, client certificate and protocol limits shared by
/// every connection made with one `TLSConfiguration`.
///
/// Files are read here, once, so that a bad CA file, client certificate or private key is reported before any
/// connection is tried. The context is immutable once built, which is what makes sharing it between event
/// loops safe: OpenSSL documents `SSL_new(3)` on a configured `SSL_CTX` as thread-safe.
public final class TLSClientContext: @unchecked Sendable {
    /// The `SSL_CTX`, never changed after `init`.
    let sslContext: OpaquePointer
    /// The configuration the context was built from.
    public let configuration: TLSConfiguration

    /// Builds the context and loads the files `configuration` names.
    ///
    /// - Throws: `TLSError` of kind `.invalidConfiguration` when a file cannot be read, holds no PEM
    ///   certificate or key, the key needs a passphrase, or the key does not belong to the certificate.
    public init(configuration: TLSConfiguration = TLSConfiguration()) throws(TLSError) {
        wsc_OPENSSL_init_without_cleanup_at_exit()
        OpenSSLErrorQueue.clear()
        guard let sslContext = SSL_CTX_new(TLS_client_method()) else {
            throw .invalidSetting(OpenSSLErrorQueue.drainReason(or: "OpenSSL could not create a TLS context"))
        }
        self.sslContext = sslContext
        self.configuration = configuration
        try self.configureProtocol()
        try self.configureTrust()
        try self.configureClientCertificate()
    }

    deinit {
        SSL_CTX_free(self.sslContext)
    }

    private func configureProtocol() throws(TLSError) {
        guard wsc_SSL_CTX_set_min_proto_version(self.sslContext, self.configuration.minimumVersion.wireValue) == 1
        else {
            throw .invalidSetting("OpenSSL refused \(self.configuration.minimumVersion) as the minimum version")
        }
        if let maximum = self.configuration.maximumVersion {
            guard wsc_SSL_CTX_set_max_proto_version(self.sslContext, maximum.wireValue) == 1 else {
                throw .invalidSetting("OpenSSL refused \(maximum) as the maximum version")
            }
        }
        // ALPN's wire format (RFC 7301 section 3.1): each name preceded by its length in one byte.
        var alpn: [UInt8] = []
        for name in self.configuration.applicationProtocols {
            let bytes = Array(name.utf8)
            guard (1...255).contains(bytes.count) else {
                throw .invalidSetting("the ALPN protocol name '\(name)' must be 1 to 255 bytes long")
            }
            alpn.append(UInt8(bytes.count))
            alpn.append(contentsOf: bytes)
        }
        if !alpn.isEmpty {
            // Unlike most of OpenSSL, SSL_CTX_set_alpn_protos(3) returns 0 on success.
            guard SSL_CTX_set_alpn_protos(self.sslContext, alpn, UInt32(alpn.count)) == 0 else {
                throw .invalidSetting("OpenSSL refused the ALPN protocols \(self.configuration.applicationProtocols)")
            }
        }
    }

    private func configureTrust() throws(TLSError) {
        guard self.configuration.verifyPeer else {
            SSL_CTX_set_verify(self.sslContext, SSL_VERIFY_NONE, nil)
            return
        }
        SSL_CTX_set_verify(self.sslContext, SSL_VERIFY_PEER, nil)
        if let caFile = self.configuration.caFile {
            try Self.checkReadable(caFile, .caCertificates)
            OpenSSLErrorQueue.clear()
            guard SSL_CTX_load_verify_locations(self.sslContext, caFile, nil) == 1 else {
                let reason = OpenSSLErrorQueue.drainReason(or: "no certificate found")
                throw .invalidFile(.caCertificates, path: caFile, reason: reason)
            }
            // Like curl: a certificate in the CA bundle (`caFile`) is a trust anchor even when it is not a root, so
            // an intermediate or the server's own certificate can be pinned.
            X509_STORE_set_flags(SSL_CTX_get_cert_store(self.sslContext), UInt(X509_V_FLAG_PARTIAL_CHAIN))
        } else {
            // The system store. A missing store is not an error here: the handshake then reports the server's
            // certificate as untrusted, which says what to do.
            SystemTrustStore.current().install(in: self.sslContext)
            OpenSSLErrorQueue.clear()
        }
    }

    private func configureClientCertificate() throws(TLSError) {
        guard let certificateFile = self.configuration.certificateFile else {
            if let keyFile = self.configuration.privateKeyFile {
                throw .invalidFile(.privateKey, path: keyFile, reason: "a key needs its certificate")
            }
            // Remember on the connection that the server asked for a certificate we do not have: a TLS 1.2
            // server answers that with a bare handshake_failure alert, which alone would not say why.
            SSL_CTX_set_client_cert_cb(self.sslContext) { ssl, _, _ in
                _ = wsc_SSL_set_app_data(ssl, TLSConnection.clientCertificateRequestedMarker)
                return 0
            }
            return
        }
        let keyFile = self.configuration.privateKeyFile ?? certificateFile
        try Self.checkReadable(certificateFile, .certificate)
        try Self.checkReadable(keyFile, .privateKey)

        // Never let OpenSSL prompt on the terminal for a passphrase; note that it wanted one instead.
        let passphraseWanted = UnsafeMutablePointer<Bool>.allocate(capacity: 1)
        passphraseWanted.initialize(to: false)
        defer {
            SSL_CTX_set_default_passwd_cb_userdata(self.sslContext, nil)
            passphraseWanted.deallocate()
        }
        SSL_CTX_set_default_passwd_cb_userdata(self.sslContext, passphraseWanted)
        SSL_CTX_set_default_passwd_cb(self.sslContext) { _, _, _, userData in
            userData?.assumingMemoryBound(to: Bool.self).pointee = true
            return -1
        }

        OpenSSLErrorQueue.clear()
        guard SSL_CTX_use_certificate_chain_file(self.sslContext, certificateFile) == 1 else {
            let reason = OpenSSLErrorQueue.drainReason(or: "no certificate found")
            throw .invalidFile(.certificate, path: certificateFile, reason: reason)
        }
        guard SSL_CTX_use_PrivateKey_file(self.sslContext, keyFile, SSL_FILETYPE_PEM) == 1 else {
            let errors = OpenSSLErrorQueue.drain()
            if passphraseWanted.pointee {
                throw .encryptedKey(path: keyFile)
            }
            // OpenSSL checks the key against the certificate as it loads it.
            if errors.contains(where: { $0.library == ERR_LIB_X509 && $0.reason == X509_R_KEY_VALUES_MISMATCH }) {
                throw .keyMismatch(keyPath: keyFile, certificatePath: certificateFile)
            }
            let reason = errors.first?.reasonText ?? "no private key found"
            throw .invalidFile(.privateKey, path: keyFile, reason: reason)
        }
        // A second check for key types that SSL_CTX_use_PrivateKey_file(3) does not compare.
        guard SSL_CTX_check_private_key(self.sslContext) == 1 else {
            OpenSSLErrorQueue.clear()
            throw .keyMismatch(keyPath: keyFile, certificatePath: certificateFile)
        }
    }

    /// Tells "cannot open" apart from "not PEM", which OpenSSL reports alike.
    private static func checkReadable(_ path: String, _ file: TLSError.File) throws(TLSError) {
        guard let file = fopen(path, "r") else {
            let reason = String(cString: strerror(errno))
            throw .unreadableFile(file, path: path, reason: reason)
        }
        fclose(file)
    }
}

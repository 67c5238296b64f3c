import COpenSSL
import NIOCore

/// A reference to an OpenSSL `X509` certificate, read for messages and for `TLSSessionInfo`.
final class X509Certificate {
    private let certificate: OpaquePointer

    /// Takes a new reference to `certificate` (`X509_up_ref(3)`), so the caller keeps its own.
    init(retaining certificate: OpaquePointer) {
        X509_up_ref(certificate)
        self.certificate = certificate
    }

    /// Adopts a reference the caller owned, such as the one `SSL_get1_peer_certificate(3)` returns.
    init(adopting certificate: OpaquePointer) {
        self.certificate = certificate
    }

    deinit {
        X509_free(self.certificate)
    }

    /// The subject name on one line, for example `CN = localhost`.
    var subject: String {
        Self.oneLine(X509_get_subject_name(self.certificate))
    }

    /// The issuer name on one line.
    var issuer: String {
        Self.oneLine(X509_get_issuer_name(self.certificate))
    }

    /// The DNS names and IP addresses of the subjectAltName extension (RFC 5280 section 4.2.1.6), in order:
    /// the names a verifier accepts for this certificate.
    var subjectAlternativeNames: [String] {
        guard let names = wsc_X509_get_subject_alt_names(self.certificate) else {
            return []
        }
        defer { GENERAL_NAMES_free(names) }
        var result: [String] = []
        for index in 0..<wsc_sk_GENERAL_NAME_num(names) {
            var type: Int32 = 0
            guard let entry = wsc_sk_GENERAL_NAME_value(names, index),
                let value = GENERAL_NAME_get0_value(entry, &type)
            else {
                continue
            }
            let string = value.assumingMemoryBound(to: ASN1_STRING.self)
            let bytes = UnsafeRawBufferPointer(
                start: ASN1_STRING_get0_data(string),
                count: Int(ASN1_STRING_length(string))
            )
            switch type {
            case GEN_DNS:
                result.append(String(decoding: bytes, as: UTF8.self))
            case GEN_IPADD:
                if let address = Self.ipAddressText(bytes) {
                    result.append(address)
                }
            default:
                // Email, URI and directory names play no part in host name verification.
                continue
            }
        }
        return result
    }

    /// The end of the validity period in ISO 8601, if it has passed.
    var expiry: String? {
        let notAfter = X509_get0_notAfter(self.certificate)
        return X509_cmp_current_time(notAfter) < 0 ? Self.isoTime(notAfter) : nil
    }

    /// The start of the validity period in ISO 8601, if it is still ahead.
    var validityStart: String? {
        let notBefore = X509_get0_notBefore(self.certificate)
        return X509_cmp_current_time(notBefore) > 0 ? Self.isoTime(notBefore) : nil
    }

    private static func ipAddressText(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard bytes.count == 4 || bytes.count == 16 else {
            return nil
        }
        var packed = ByteBufferAllocator().buffer(capacity: bytes.count)
        packed.writeBytes(bytes)
        return try? SocketAddress(packedIPAddress: packed, port: 0).ipAddress
    }

    private static func oneLine(_ name: OpaquePointer?) -> String {
        MemoryBIO.text { bio in
            X509_NAME_print_ex(bio, name, 0, wsc_XN_FLAG_ONELINE())
        }
    }

    private static func isoTime(_ time: UnsafePointer<ASN1_TIME>?) -> String {
        MemoryBIO.text { bio in
            ASN1_TIME_print_ex(bio, time, UInt(ASN1_DTFLGS_ISO8601))
        }
    }
}

/// OpenSSL's memory BIO (`BIO_s_mem(3)`) as a scratch pad for OpenSSL functions that print.
enum MemoryBIO {
    /// Runs `print` against a fresh memory BIO and returns what it wrote as UTF-8 text.
    static func text(_ print: (OpaquePointer) -> Int32) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else {
            return ""
        }
        defer { BIO_free(bio) }
        guard print(bio) > 0 else {
            return ""
        }
        let count = Int(wsc_BIO_pending(bio))
        return String(unsafeUninitializedCapacity: count) { buffer in
            Int(max(0, BIO_read(bio, buffer.baseAddress, Int32(count))))
        }
    }
}

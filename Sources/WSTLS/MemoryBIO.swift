import COpenSSL

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

import COpenSSL

/// OpenSSL's thread-local error queue (`ERR_get_error(3)`), read into Swift values.
///
/// Every failing OpenSSL call pushes one or more entries; the earliest is the root cause, so callers clear the
/// queue before an operation and read it right after a failure, on the same thread.
enum OpenSSLErrorQueue {
    /// One queued error: OpenSSL's packed code and its parts.
    struct Entry {
        /// The packed error code.
        let code: UInt
        /// The library that raised it (`ERR_LIB_SSL`, `ERR_LIB_SYS`, ...).
        var library: Int32 { wsc_ERR_GET_LIB(self.code) }
        /// The library-specific reason (`SSL_R_...`, or an `errno` for `ERR_LIB_SYS`).
        var reason: Int32 { wsc_ERR_GET_REASON(self.code) }

        /// The reason in words, for example `certificate verify failed`.
        var reasonText: String {
            if let text = ERR_reason_error_string(self.code) {
                return String(cString: text)
            }
            return "OpenSSL error \(String(self.code, radix: 16))"
        }
    }

    /// Forgets errors left by earlier calls, so that the next failure is read alone.
    static func clear() {
        ERR_clear_error()
    }

    /// Removes and returns every queued error, earliest first.
    static func drain() -> [Entry] {
        var entries: [Entry] = []
        while true {
            let code = ERR_get_error()
            if code == 0 {
                return entries
            }
            entries.append(Entry(code: code))
        }
    }

    /// The earliest queued error's reason in words, or `fallback`; the queue is emptied.
    static func drainReason(or fallback: String) -> String {
        Self.drain().first?.reasonText ?? fallback
    }
}

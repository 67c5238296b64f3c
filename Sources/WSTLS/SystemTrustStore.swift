import COpenSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Where the system's trusted certificates are read from when no `--cacert`-like file is given.
///
/// OpenSSL's default locations are a bundle file and a folder. The bundle is parsed whole when a context is
/// made (Debian's 140-odd certificates: 20–30 ms, at every start of a `wss://` run), while a folder of
/// certificates named by subject hash (`c_rehash`, `update-ca-certificates`) is read lazily: only the few
/// certificates a chain needs. The distributions that keep such a folder (Debian, Ubuntu, Alpine, Arch) build
/// it and the bundle from the same certificates, so where the default folder is one, it alone is used. When
/// `SSL_CERT_FILE` or `SSL_CERT_DIR` is set, OpenSSL's defaults apply unchanged: the bundle and the folders,
/// those variables included, as for curl.
enum SystemTrustStore: Equatable {
    /// The system's own hashed folder, read lazily.
    case hashedFolder(String)
    /// OpenSSL's defaults (`SSL_CTX_set_default_verify_paths(3)`).
    case defaults

    /// The store for this process's environment and file system.
    static func current() -> SystemTrustStore {
        Self.choose(
            environmentNamesAStore: getenv(X509_get_default_cert_file_env()) != nil
                || getenv(X509_get_default_cert_dir_env()) != nil,
            defaultFolder: String(cString: X509_get_default_cert_dir()),
            isHashed: Self.holdsHashedCertificates
        )
    }

    /// The default folder alone when nothing in the environment names a store and it holds certificates named
    /// by hash.
    static func choose(
        environmentNamesAStore: Bool,
        defaultFolder: String,
        isHashed: (String) -> Bool
    ) -> SystemTrustStore {
        !environmentNamesAStore && isHashed(defaultFolder) ? .hashedFolder(defaultFolder) : .defaults
    }

    /// Adds the store's locations to `context`.
    func install(in context: OpaquePointer) {
        switch self {
        case .hashedFolder(let folder):
            SSL_CTX_load_verify_dir(context, folder)
        case .defaults:
            SSL_CTX_set_default_verify_paths(context)
        }
    }

    /// Whether `folder` holds a certificate named as OpenSSL's hashed lookup names them: eight hexadecimal
    /// digits, a dot and a number (`5ad8a5d6.0`).
    static func holdsHashedCertificates(_ folder: String) -> Bool {
        guard let directory = opendir(folder) else {
            return false
        }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if Self.isHashedName(name) {
                return true
            }
        }
        return false
    }

    static func isHashedName(_ name: String) -> Bool {
        let parts = name.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 8, !parts[1].isEmpty else {
            return false
        }
        let hexadecimal = parts[0].allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        return hexadecimal && parts[1].allSatisfy { (0x30...0x39).contains($0) }
    }
}

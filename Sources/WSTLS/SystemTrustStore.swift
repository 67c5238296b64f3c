import COpenSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Where the system's trusted certificates are read from, honouring `SSL_CERT_FILE` and `SSL_CERT_DIR` as
/// OpenSSL's defaults (and curl) do.
///
/// OpenSSL's default locations are a bundle file and a folder. The bundle is parsed whole when a context is
/// made (Debian's 140-odd certificates: about 30 ms, at every start of a `wss://` run), while a folder of
/// certificates named by subject hash (`c_rehash`, `update-ca-certificates`) is read lazily: only the few
/// certificates a chain needs. Where the folder is such a folder, and no bundle was asked for by name with
/// `SSL_CERT_FILE`, the folder alone is used; the distributions that keep one (Debian, Ubuntu, Alpine, Arch,
/// openSUSE) build both from the same certificates. Elsewhere both are used, as OpenSSL would.
enum SystemTrustStore: Equatable {
    /// The hashed folders only (OpenSSL's default folder, or `SSL_CERT_DIR`'s).
    case hashedFolders
    /// The bundle file and the folders (`SSL_CTX_set_default_verify_paths(3)`).
    case bundleAndFolders

    /// The store for this process's environment and file system.
    static func current() -> SystemTrustStore {
        if getenv(X509_get_default_cert_file_env()) != nil {
            return .bundleAndFolders
        }
        let folders =
            getenv(X509_get_default_cert_dir_env()).map { String(cString: $0) }
            ?? String(cString: X509_get_default_cert_dir())
        return Self.choose(folders: folders, isHashed: Self.holdsHashedCertificates)
    }

    /// `folders` is a colon-separated list, as OpenSSL reads `SSL_CERT_DIR`: the folders alone do when one of
    /// them holds certificates named by hash.
    static func choose(folders: String, isHashed: (String) -> Bool) -> SystemTrustStore {
        folders.split(separator: ":").contains { isHashed(String($0)) } ? .hashedFolders : .bundleAndFolders
    }

    /// Adds the store's locations to `context`.
    func install(in context: OpaquePointer) {
        switch self {
        case .hashedFolders:
            SSL_CTX_set_default_verify_dir(context)
        case .bundleAndFolders:
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

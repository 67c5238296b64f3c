import COpenSSL
import Foundation
import XCTest

@testable import WSTLS

/// The system trust store is read lazily from its hashed folder where there is one, instead of parsing the whole
/// bundle at every start; a store named in the environment keeps OpenSSL's defaults.
final class SystemTrustStoreTests: XCTestCase {
    func testHashedNamesAreEightHexDigitsADotAndANumber() {
        for name in ["5ad8a5d6.0", "00000000.12", "ffffffff.1"] {
            XCTAssertTrue(SystemTrustStore.isHashedName(name), name)
        }
        for name in ["5ad8a5d6", "5AD8A5D6.0", "5ad8a5d.0", "5ad8a5d6.", "5ad8a5d6.r0", "ca.pem", ".", "..", ""] {
            XCTAssertFalse(SystemTrustStore.isHashedName(name), name)
        }
    }

    func testTheHashedDefaultFolderAloneUnlessTheEnvironmentNamesAStore() {
        let hashed = { (folder: String) in folder == "/certs" }
        XCTAssertEqual(
            SystemTrustStore.choose(environmentNamesAStore: false, defaultFolder: "/certs", isHashed: hashed),
            .hashedFolder("/certs")
        )
        XCTAssertEqual(
            SystemTrustStore.choose(environmentNamesAStore: true, defaultFolder: "/certs", isHashed: hashed),
            .defaults
        )
        XCTAssertEqual(
            SystemTrustStore.choose(environmentNamesAStore: false, defaultFolder: "/other", isHashed: hashed),
            .defaults
        )
    }

    func testSSLCertDirKeepsOpenSSLsDefaults() {
        // setenv is process-wide; XCTest runs the tests of this target one after another.
        setenv("SSL_CERT_DIR", "/nonexistent", 1)
        defer { unsetenv("SSL_CERT_DIR") }
        XCTAssertEqual(SystemTrustStore.current(), .defaults)
    }

    func testAHashedFolderIsOnlyReadWhenAChainNeedsIt() throws {
        let certificates = try TestCertificates.shared()
        let folder = try self.hashedFolder(holding: certificates.caFile)
        XCTAssertTrue(SystemTrustStore.holdsHashedCertificates(folder))
        let context = try XCTUnwrap(SSL_CTX_new(TLS_client_method()))
        defer { SSL_CTX_free(context) }
        SystemTrustStore.hashedFolder(folder).install(in: context)
        let store = SSL_CTX_get_cert_store(context)
        XCTAssertEqual(OPENSSL_sk_num(X509_STORE_get0_objects(store)), 0, "a certificate was read up front")

        let file = try XCTUnwrap(BIO_new_file(certificates.certificate("localhost"), "r"))
        defer { BIO_free(file) }
        let server = try XCTUnwrap(PEM_read_bio_X509(file, nil, nil, nil))
        defer { X509_free(server) }
        let verification = try XCTUnwrap(X509_STORE_CTX_new())
        defer { X509_STORE_CTX_free(verification) }
        XCTAssertEqual(X509_STORE_CTX_init(verification, store, server, nil), 1)
        XCTAssertEqual(X509_verify_cert(verification), 1, "the test CA was not found in the folder")
        XCTAssertEqual(OPENSSL_sk_num(X509_STORE_get0_objects(store)), 1, "the CA, read when the chain needed it")
    }

    /// A folder holding `certificate`, named by its subject hash (`openssl rehash`).
    private func hashedFolder(holding certificate: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wsc-certs-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: certificate, toPath: "\(folder)/ca.pem")
        let rehash = Process()
        rehash.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        rehash.arguments = ["openssl", "rehash", folder]
        try rehash.run()
        rehash.waitUntilExit()
        XCTAssertEqual(rehash.terminationStatus, 0, "openssl rehash failed")
        return folder
    }
}

import COpenSSL
import Foundation
import XCTest

@testable import WSTLS

/// The system trust store is read lazily from a hashed folder where there is one, instead of parsing the whole
/// bundle at every start.
final class SystemTrustStoreTests: XCTestCase {
    func testHashedNamesAreEightHexDigitsADotAndANumber() {
        for name in ["5ad8a5d6.0", "00000000.12", "ffffffff.1"] {
            XCTAssertTrue(SystemTrustStore.isHashedName(name), name)
        }
        for name in ["5ad8a5d6", "5AD8A5D6.0", "5ad8a5d.0", "5ad8a5d6.", "5ad8a5d6.r0", "ca.pem", ".", "..", ""] {
            XCTAssertFalse(SystemTrustStore.isHashedName(name), name)
        }
    }

    func testAnyHashedFolderOfTheListIsEnough() {
        XCTAssertEqual(SystemTrustStore.choose(folders: "/a:/b", isHashed: { $0 == "/b" }), .hashedFolders)
        XCTAssertEqual(SystemTrustStore.choose(folders: "/a:/b", isHashed: { _ in false }), .bundleAndFolders)
        XCTAssertEqual(SystemTrustStore.choose(folders: "", isHashed: { _ in true }), .bundleAndFolders)
    }

    func testAHashedFolderVerifiesWithNothingReadUpFront() throws {
        let folder = try self.folder(hashed: true)
        // setenv is process-wide; XCTest runs the tests of this target one after another.
        setenv("SSL_CERT_DIR", folder, 1)
        defer { unsetenv("SSL_CERT_DIR") }
        XCTAssertEqual(SystemTrustStore.current(), .hashedFolders)

        let context = try TLSClientContext(configuration: TLSConfiguration())
        let objects = X509_STORE_get0_objects(SSL_CTX_get_cert_store(context.sslContext))
        XCTAssertEqual(OPENSSL_sk_num(objects), 0, "a certificate was read before it was needed")

        let pair = try BackToBack(configuration: TLSConfiguration())
        defer { pair.finish() }
        try pair.handshake()
        XCTAssertNil(pair.recorder.tlsError)
        XCTAssertEqual(pair.recorder.session?.peerVerified, true)
    }

    func testAFolderWithoutHashedNamesOrANamedBundleReadsTheBundle() throws {
        setenv("SSL_CERT_DIR", try self.folder(hashed: false), 1)
        defer { unsetenv("SSL_CERT_DIR") }
        XCTAssertEqual(SystemTrustStore.current(), .bundleAndFolders)

        setenv("SSL_CERT_DIR", try self.folder(hashed: true), 1)
        setenv("SSL_CERT_FILE", try TestCertificates.shared().caFile, 1)
        defer { unsetenv("SSL_CERT_FILE") }
        XCTAssertEqual(SystemTrustStore.current(), .bundleAndFolders)
    }

    /// A folder holding the test CA, named by its subject hash (`openssl rehash`) or not.
    private func folder(hashed: Bool) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wsc-certs-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: try TestCertificates.shared().caFile, toPath: "\(folder)/ca.pem")
        if hashed {
            let rehash = Process()
            rehash.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            rehash.arguments = ["openssl", "rehash", folder]
            try rehash.run()
            rehash.waitUntilExit()
            XCTAssertEqual(rehash.terminationStatus, 0, "openssl rehash failed")
        }
        return folder
    }
}

import Foundation
import WSTLS
import XCTest

/// `--cacert`, `--cert` and `--key` problems are reported when the context is built, before any connection.
final class TLSClientContextTests: XCTestCase {
    private func contextError(_ configuration: TLSConfiguration) -> TLSError? {
        do {
            _ = try TLSClientContext(configuration: configuration)
            return nil
        } catch {
            return error
        }
    }

    private func garbageFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wsc-not-pem-\(UUID()).pem").path
        try Data("this is not PEM\n".utf8).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testDefaultsAndAClientCertificateBuild() throws {
        let certificates = try TestCertificates.shared()
        XCTAssertNil(self.contextError(TLSConfiguration()))
        XCTAssertNil(
            self.contextError(
                TLSConfiguration(
                    caFile: certificates.caFile,
                    certificateFile: certificates.certificate("client"),
                    privateKeyFile: certificates.key("client")
                )
            )
        )
    }

    func testMissingCAFileIsUnreadable() throws {
        let error = try XCTUnwrap(self.contextError(TLSConfiguration(caFile: "/nonexistent/ca.pem")))
        XCTAssertEqual(error.kind, .invalidConfiguration)
        XCTAssertEqual(
            error.reason,
            .unreadableFile(.caCertificates, path: "/nonexistent/ca.pem", reason: "No such file or directory")
        )
        XCTAssertEqual(
            error.description,
            "TLS: cannot read the CA certificates file /nonexistent/ca.pem: No such file or directory"
        )
    }

    func testCAFileWithoutCertificatesIsInvalid() throws {
        let path = try self.garbageFile()
        let error = try XCTUnwrap(self.contextError(TLSConfiguration(caFile: path)))
        XCTAssertEqual(error.kind, .invalidConfiguration)
        guard case .invalidFile(.caCertificates, path, _) = error.reason else {
            return XCTFail("\(error.reason)")
        }
    }

    func testMissingCertificateFileIsUnreadable() throws {
        let certificates = try TestCertificates.shared()
        let configuration = TLSConfiguration(
            certificateFile: "/nonexistent/client.pem",
            privateKeyFile: certificates.key("client")
        )
        let error = try XCTUnwrap(self.contextError(configuration))
        guard case .unreadableFile(.certificate, "/nonexistent/client.pem", _) = error.reason else {
            return XCTFail("\(error.reason)")
        }
    }

    func testCertificateFileThatIsNotPEMIsInvalid() throws {
        let certificates = try TestCertificates.shared()
        let path = try self.garbageFile()
        let error = try XCTUnwrap(
            self.contextError(TLSConfiguration(certificateFile: path, privateKeyFile: certificates.key("client")))
        )
        guard case .invalidFile(.certificate, path, _) = error.reason else {
            return XCTFail("\(error.reason)")
        }
    }

    func testKeyFileThatIsNotPEMIsInvalid() throws {
        let certificates = try TestCertificates.shared()
        let path = try self.garbageFile()
        let configuration = TLSConfiguration(certificateFile: certificates.certificate("client"), privateKeyFile: path)
        let error = try XCTUnwrap(self.contextError(configuration))
        guard case .invalidFile(.privateKey, path, _) = error.reason else {
            return XCTFail("\(error.reason)")
        }
    }

    func testKeyOfAnotherCertificateIsAMismatch() throws {
        let certificates = try TestCertificates.shared()
        let configuration = TLSConfiguration(
            certificateFile: certificates.certificate("client"),
            privateKeyFile: certificates.key("localhost")
        )
        let error = try XCTUnwrap(self.contextError(configuration))
        XCTAssertEqual(error.kind, .invalidConfiguration)
        XCTAssertEqual(
            error.reason,
            .keyMismatch(keyPath: certificates.key("localhost"), certificatePath: certificates.certificate("client"))
        )
    }

    func testEncryptedKeyIsReportedWithoutPrompting() throws {
        let certificates = try TestCertificates.shared()
        let configuration = TLSConfiguration(
            certificateFile: certificates.certificate("client"),
            privateKeyFile: "\(certificates.directory)/encrypted.key"
        )
        let error = try XCTUnwrap(self.contextError(configuration))
        XCTAssertEqual(error.reason, .encryptedKey(path: "\(certificates.directory)/encrypted.key"))
    }

    func testKeyWithoutCertificateIsRefused() throws {
        let certificates = try TestCertificates.shared()
        let error = try XCTUnwrap(self.contextError(TLSConfiguration(privateKeyFile: certificates.key("client"))))
        XCTAssertEqual(
            error.reason,
            .invalidFile(.privateKey, path: certificates.key("client"), reason: "a key needs its certificate")
        )
    }

    func testOverlongALPNNameIsRefused() {
        let name = String(repeating: "x", count: 256)
        XCTAssertEqual(self.contextError(TLSConfiguration(applicationProtocols: [name]))?.kind, .invalidConfiguration)
    }
}

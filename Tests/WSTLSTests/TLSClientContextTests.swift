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
            error.description,
            "TLS: cannot read the --cacert file /nonexistent/ca.pem: No such file or directory"
        )
    }

    func testCAFileWithoutCertificatesIsInvalid() throws {
        let path = try self.garbageFile()
        let error = try XCTUnwrap(self.contextError(TLSConfiguration(caFile: path)))
        XCTAssertEqual(error.kind, .invalidConfiguration)
        XCTAssertTrue(error.description.hasPrefix("TLS: the --cacert file \(path) is not usable"), error.description)
    }

    func testMissingCertificateFileIsUnreadable() throws {
        let certificates = try TestCertificates.shared()
        let configuration = TLSConfiguration(
            certificateFile: "/nonexistent/client.pem",
            privateKeyFile: certificates.key("client")
        )
        let error = try XCTUnwrap(self.contextError(configuration))
        XCTAssertTrue(
            error.description.contains("cannot read the --cert file /nonexistent/client.pem"),
            error.description
        )
    }

    func testCertificateFileThatIsNotPEMIsInvalid() throws {
        let certificates = try TestCertificates.shared()
        let path = try self.garbageFile()
        let error = try XCTUnwrap(
            self.contextError(TLSConfiguration(certificateFile: path, privateKeyFile: certificates.key("client")))
        )
        XCTAssertTrue(error.description.hasPrefix("TLS: the --cert file \(path) is not usable"), error.description)
    }

    func testKeyFileThatIsNotPEMIsInvalid() throws {
        let certificates = try TestCertificates.shared()
        let path = try self.garbageFile()
        let configuration = TLSConfiguration(certificateFile: certificates.certificate("client"), privateKeyFile: path)
        let error = try XCTUnwrap(self.contextError(configuration))
        XCTAssertTrue(error.description.hasPrefix("TLS: the --key file \(path) is not usable"), error.description)
    }

    func testKeyOfAnotherCertificateIsAMismatch() throws {
        let certificates = try TestCertificates.shared()
        let configuration = TLSConfiguration(
            certificateFile: certificates.certificate("client"),
            privateKeyFile: certificates.key("localhost")
        )
        let error = try XCTUnwrap(self.contextError(configuration))
        XCTAssertEqual(error.kind, .invalidConfiguration)
        XCTAssertTrue(error.description.contains("does not belong to the certificate"), error.description)
    }

    func testEncryptedKeyIsReportedWithoutPrompting() throws {
        let certificates = try TestCertificates.shared()
        let configuration = TLSConfiguration(
            certificateFile: certificates.certificate("client"),
            privateKeyFile: "\(certificates.directory)/encrypted.key"
        )
        let error = try XCTUnwrap(self.contextError(configuration))
        XCTAssertTrue(error.description.contains("protected by a passphrase"), error.description)
    }

    func testKeyWithoutCertificateIsRefused() throws {
        let certificates = try TestCertificates.shared()
        let error = try XCTUnwrap(self.contextError(TLSConfiguration(privateKeyFile: certificates.key("client"))))
        XCTAssertTrue(error.description.contains("give --cert"), error.description)
    }

    func testOverlongALPNNameIsRefused() {
        let name = String(repeating: "x", count: 256)
        XCTAssertEqual(self.contextError(TLSConfiguration(applicationProtocols: [name]))?.kind, .invalidConfiguration)
    }
}

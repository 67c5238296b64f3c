import Foundation
import XCTest

/// Base for end-to-end tests over wss://: one folder of test certificates per class, made in the class `setUp`
/// and removed in its `tearDown`.
class TLSTestCase: EndToEndTestCase {
    /// Made once for the class. XCTest runs the class setUp, the tests and the class tearDown on one thread,
    /// and one class after the other.
    nonisolated(unsafe) private static var folder: Result<TestCertificateFolder, any Error>?

    override class func setUp() {
        super.setUp()
        Self.folder = Result { try TestCertificateFolder.make() }
    }

    override class func tearDown() {
        (try? Self.folder?.get())?.remove()
        Self.folder = nil
        super.tearDown()
    }

    /// The class's certificates.
    var certificates: TestCertificateFolder {
        get throws { try XCTUnwrap(Self.folder, "class setUp did not run").get() }
    }

    /// A peer's arguments to serve TLS with the certificate `name` and its key.
    func servingArguments(_ name: String = "localhost") throws -> [String] {
        let certificates = try self.certificates
        return ["--tls-cert", certificates.certificate(name), "--tls-key", certificates.key(name)]
    }
}

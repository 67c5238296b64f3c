import Foundation
import XCTest

/// The certificates of `Tests/Support/make-test-certs.sh`, made once per test run in a temporary folder.
struct TestCertificates: Sendable {
    /// The folder holding `NAME.pem` and `NAME.key` for each certificate the script makes.
    let directory: String

    /// The path of `NAME.pem`.
    func certificate(_ name: String) -> String {
        "\(self.directory)/\(name).pem"
    }

    /// The path of `NAME.key`.
    func key(_ name: String) -> String {
        "\(self.directory)/\(name).key"
    }

    /// The test CA's certificate, for `--cacert`.
    var caFile: String {
        self.certificate("ca")
    }

    private static let generated: Result<TestCertificates, GenerationError> = Self.generate()

    /// The certificates, made on first use; fails the calling test when `openssl` could not make them.
    static func shared() throws -> TestCertificates {
        try Self.generated.get()
    }

    /// Why the generator script failed.
    struct GenerationError: Error, CustomStringConvertible {
        let description: String
    }

    private static func generate() -> Result<TestCertificates, GenerationError> {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Support/make-test-certs.sh")
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("wsc-tls-tests-\(ProcessInfo.processInfo.processIdentifier)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [script.path, directory.path]
        do {
            try process.run()
        } catch {
            return .failure(GenerationError(description: "cannot run \(script.path): \(error)"))
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return .failure(GenerationError(description: "\(script.path) exited with \(process.terminationStatus)"))
        }
        return .success(TestCertificates(directory: directory.path))
    }
}

import Foundation

/// Throw-away certificates from `Tests/Support/make-test-certs.sh` in a temporary folder: `NAME.pem` and
/// `NAME.key` for the test CA (`ca`) and each server and client certificate the script describes.
///
/// A test class makes one in its class `setUp` and removes it in its class `tearDown`, so the keys never
/// outlive the tests and generation (a few `openssl` runs) is paid once per class.
struct TestCertificateFolder: Sendable {
    /// The folder.
    let directory: URL

    /// Runs the generator script into a new temporary folder.
    static func make() throws -> TestCertificateFolder {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("wsc-e2e-certs-\(UUID().uuidString)")
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/Support/make-test-certs.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [script.path, directory.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GenerationFailed(description: "\(script.path) exited with \(process.terminationStatus)")
        }
        return TestCertificateFolder(directory: directory)
    }

    /// The path of `NAME.pem`.
    func certificate(_ name: String) -> String {
        self.directory.appendingPathComponent("\(name).pem").path
    }

    /// The path of `NAME.key`.
    func key(_ name: String) -> String {
        self.directory.appendingPathComponent("\(name).key").path
    }

    /// The test CA, for `--cacert`.
    var caFile: String {
        self.certificate("ca")
    }

    /// Deletes the folder and the keys in it.
    func remove() {
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// The generator script failed; `openssl` is missing or too old.
    struct GenerationFailed: Error, CustomStringConvertible {
        let description: String
    }
}

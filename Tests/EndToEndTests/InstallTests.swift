import Foundation
import XCTest

/// `make install` puts the binary, the manual and the completions where each shell looks for them, under
/// `DESTDIR` and `PREFIX`, and `make uninstall` removes exactly those files.
final class InstallTests: EndToEndTestCase {
    /// What one command printed and how it ended.
    private struct Outcome {
        var output: String
        var errors: String
        var status: Int32
    }

    private static let installed = [
        "usr/local/bin/wsc",
        "usr/local/share/bash-completion/completions/wsc",
        "usr/local/share/fish/vendor_completions.d/wsc.fish",
        "usr/local/share/man/man1/wsc.1",
        "usr/local/share/zsh/site-functions/_wsc",
    ]

    private var destination = URL(fileURLWithPath: "/")

    override func setUpWithError() throws {
        try super.setUpWithError()
        self.destination = FileManager.default.temporaryDirectory.appendingPathComponent("wsc-install-\(UUID())")
        try FileManager.default.createDirectory(at: self.destination, withIntermediateDirectories: true)
        let destination = self.destination
        self.addTeardownBlock { try? FileManager.default.removeItem(at: destination) }
    }

    /// Runs a command in the package's folder; its stderr goes to a file, so that it cannot block it.
    private func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        let errorsURL = self.destination.appendingPathExtension("stderr")
        _ = FileManager.default.createFile(atPath: errorsURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorsURL) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = TestPaths.packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorsURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            output: String(decoding: outputData, as: UTF8.self),
            errors: try String(contentsOf: errorsURL, encoding: .utf8),
            status: process.terminationStatus
        )
    }

    private func make(_ target: String) throws {
        let outcome = try self.run([
            "make", "--no-print-directory", "-s", target, "DESTDIR=\(self.destination.path)",
            "BINARY=\(TestPaths.wsc.path)",
        ])
        XCTAssertEqual(outcome.status, 0, "make \(target): \(outcome.errors)")
    }

    private func files() -> [String] {
        let root = self.destination.path + "/"
        let enumerator = FileManager.default.enumerator(atPath: self.destination.path)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + path, isDirectory: &isFolder), !isFolder.boolValue {
                files.append(path)
            }
        }
        return files.sorted()
    }

    func testInstallPutsEachFileWhereItIsLookedForAndUninstallRemovesThem() throws {
        try self.make("install-files")
        XCTAssertEqual(self.files(), Self.installed)
        let binary = self.destination.appendingPathComponent("usr/local/bin/wsc").path
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: binary))
        XCTAssertEqual(try WSCProcess.run(["--version"]).output, try self.run([binary, "--version"]).output)
        try self.make("uninstall")
        XCTAssertEqual(self.files(), [])
    }

    func testInstalledManualRendersIn80Columns() throws {
        try self.make("install-files")
        let page = self.destination.appendingPathComponent("usr/local/share/man/man1/wsc.1").path
        let rendered = try self.run(
            ["man", "--warnings", "-l", page],
            environment: ["MANWIDTH": "80", "LANG": "C.UTF-8"]
        )
        XCTAssertEqual(rendered.status, 0, rendered.errors)
        XCTAssertEqual(rendered.errors, "", "groff's warnings")
        for section in ["SYNOPSIS", "DESCRIPTION", "OPTIONS", "INTERACTIVE", "EXIT STATUS", "ENVIRONMENT"] {
            XCTAssertTrue(rendered.output.contains("\n\(section)\n"), "no \(section) section")
        }
        let plain = rendered.output.replacing(/.\x08/, with: "")
        let wide = plain.split(separator: "\n").filter { $0.count > 80 }
        XCTAssertEqual(wide, [], "lines wider than 80 columns")
    }

    func testBashLoadsTheInstalledCompletionOnDemand() throws {
        try self.make("install-files")
        let loader = "/usr/share/bash-completion/bash_completion"
        guard FileManager.default.fileExists(atPath: loader) else {
            throw XCTSkip("bash-completion is not installed: run 'make test' (it installs it)")
        }
        // bash-completion looks for a command's completion in share/bash-completion/completions of every
        // folder in XDG_DATA_DIRS, when the command is first completed.
        let script = """
            source \(loader)
            XDG_DATA_DIRS=\(self.destination.path)/usr/local/share
            complete -r wsc 2>/dev/null
            _completion_loader wsc
            complete -p wsc
            """
        let outcome = try self.run(["bash", "--norc", "--noprofile", "-c", script])
        XCTAssertEqual(outcome.status, 0, outcome.errors)
        XCTAssertTrue(outcome.output.hasSuffix(" -F _wsc wsc\n"), outcome.output)
    }
}

import Foundation
import XCTest

/// The committed completion scripts, manual and README stay in step with the command line (`make docs`
/// regenerates the first two).
final class DocumentationTests: EndToEndTestCase {
    private func committed(_ path: String) throws -> String {
        try String(contentsOf: TestPaths.packageRoot.appendingPathComponent(path), encoding: .utf8)
    }

    /// The long options that `--help` lists.
    private func longOptions() throws -> Set<String> {
        let help = try WSCProcess.run(["--help"]).output
        return Set(help.matches(of: /--[a-z][a-z-]+/).map { String($0.output) })
    }

    /// What `make docs` and `make docs-check` generate (`.ci/generate-docs`), from the binary under test and
    /// the Makefile's `MANUAL_DATE`, compared with the committed files.
    func testCommittedCompletionScriptsAndManualAreWhatMakeDocsGenerates() throws {
        let makefile = try self.committed("Makefile")
        let date = try XCTUnwrap(makefile.firstMatch(of: /MANUAL_DATE := (\d{4}-\d\d-\d\d)/)?.output.1)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wsc-docs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let generator = Process()
        generator.executableURL = TestPaths.packageRoot.appendingPathComponent(".ci/generate-docs")
        generator.arguments = [TestPaths.wsc.path, String(date), folder.path]
        try generator.run()
        generator.waitUntilExit()
        XCTAssertEqual(generator.terminationStatus, 0)
        for path in ["completions/wsc.bash", "completions/_wsc", "completions/wsc.fish", "man/wsc.1"] {
            let generated = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
            XCTAssertEqual(try self.committed(path), generated, "\(path) is stale: run 'make docs'")
        }
    }

    func testManualAndReadmeDescribeEveryOption() throws {
        let manual = try self.committed("man/wsc.1").replacingOccurrences(of: "\\-", with: "-")
        let readme = try self.committed("README.md")
        let options = try XCTUnwrap(readme.firstRange(of: "\n## Options\n"), "README.md has no Options section")
        let rest = readme[options.upperBound...]
        let table = rest[..<(rest.firstRange(of: "\n## ")?.lowerBound ?? rest.endIndex)]
        for option in try self.longOptions() {
            let bare = String(option.dropFirst(2))
            XCTAssertTrue(
                manual.contains("Fl -\(bare)") || manual.contains(option),
                "\(option) missing in man/wsc.1: run 'make docs'"
            )
            XCTAssertTrue(table.contains(option), "\(option) missing in the option table of README.md")
        }
    }

    func testManualHasTheHandWrittenSections() throws {
        let manual = try self.committed("man/wsc.1")
        for section in [
            "NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "INTERACTIVE", "OUTPUT FORMATS", "ENVIRONMENT",
            "FILES", "EXIT STATUS", "EXAMPLES", "SEE ALSO",
        ] {
            XCTAssertTrue(manual.contains("\n.Sh \(section)\n") || manual.contains("\n.Sh \"\(section)\"\n"), section)
        }
        for code in [0, 1, 2, 3, 4, 5, 6, 7, 8, 130] {
            XCTAssertTrue(manual.contains("\n.It \(code)\n"), "exit code \(code) missing from EXIT STATUS")
        }
        for variable in ["NO_COLOR", "TERM", "SSL_CERT_FILE", "SSL_CERT_DIR", "XDG_STATE_HOME"] {
            XCTAssertTrue(manual.contains("Ev \(variable)"), "\(variable) missing from ENVIRONMENT")
        }
    }

    func testReadmeListsEveryExitCode() throws {
        let readme = try self.committed("README.md")
        for code in [0, 1, 2, 3, 4, 5, 6, 7, 8, 130] {
            XCTAssertTrue(readme.contains("| \(code) "), "exit code \(code) missing from the README table")
        }
    }
}

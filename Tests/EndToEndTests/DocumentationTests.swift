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

    func testCompletionScriptsMatchTheBinary() throws {
        for (shell, path) in [
            ("bash", "completions/wsc.bash"), ("zsh", "completions/_wsc"), ("fish", "completions/wsc.fish"),
        ] {
            let generated = try WSCProcess.run(["--generate-completion-script", shell])
            XCTAssertEqual(generated.status, 0)
            XCTAssertEqual(try self.committed(path), generated.output, "\(path) is stale: run 'make docs'")
        }
    }

    func testManualAndReadmeDescribeEveryOption() throws {
        let manual = try self.committed("man/wsc.1").replacingOccurrences(of: "\\-", with: "-")
        let readme = try self.committed("README.md")
        for option in try self.longOptions() {
            let bare = String(option.dropFirst(2))
            XCTAssertTrue(
                manual.contains("Fl -\(bare)") || manual.contains(option),
                "\(option) missing in man/wsc.1: run 'make docs'"
            )
            XCTAssertTrue(readme.contains(option), "\(option) missing in README.md")
        }
    }

    func testReadmeListsEveryExitCode() throws {
        let readme = try self.committed("README.md")
        for code in [0, 1, 2, 3, 4, 5, 6, 7, 8, 130] {
            XCTAssertTrue(readme.contains("| \(code) "), "exit code \(code) missing from the README table")
        }
    }
}

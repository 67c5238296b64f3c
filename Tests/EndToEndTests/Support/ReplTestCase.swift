import Foundation
import XCTest

/// Base for tests of the interactive front end in a real pseudo-terminal (tmux): starts wsc in a terminal with
/// a private history folder, and reads what the terminal shows.
class ReplTestCase: EndToEndTestCase {
    /// A folder of the test's own, removed when it ends: wsc's `XDG_STATE_HOME` (its history file).
    private(set) var folder = URL(fileURLWithPath: "/")

    override func setUpWithError() throws {
        try super.setUpWithError()
        guard TmuxSession.isAvailable else {
            throw XCTSkip("tmux is not installed: run 'make test' (it installs it)")
        }
        self.folder = FileManager.default.temporaryDirectory.appendingPathComponent("wsc-repl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        let folder = self.folder
        self.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    }

    /// Runs wsc on `url` `runs` times in a new terminal, then prints `[wsc exited N]` after each run and, at the
    /// end, `[tty: ...]` with the terminal's `icanon` and `echo` settings as `stty` reports them. `launcher`
    /// (such as `timeout 60`) runs wsc; `environment` (such as `TERM=dumb`) is added to its environment.
    func startREPL(
        _ url: String,
        _ arguments: [String] = [],
        runs: Int = 1,
        width: Int = 100,
        waitForPrompt: Bool = true,
        launcher: [String] = [],
        environment: [String] = []
    ) throws -> TmuxSession {
        let command = (launcher + [TestPaths.wsc.path] + arguments + [url]).map(Self.quoted).joined(separator: " ")
        let run = "\(command); echo \"[wsc exited $?]\""
        let ttyModes = "stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '"
        // The script's shell must outlive Ctrl-C, as an interactive shell would: a trap (not an ignore, which
        // wsc would inherit) keeps it waiting for wsc.
        let script =
            "trap : INT QUIT; " + Array(repeating: run, count: runs).joined(separator: "; ")
            + "; echo \"[tty: $(\(ttyModes))]\"; exec sleep 600"
        let variables = (["LANG=C.UTF-8", "XDG_STATE_HOME=\(self.folder.path)"] + environment).map(Self.quoted)
        let shellCommand = "env \(variables.joined(separator: " ")) sh -c \(Self.quoted(script))"
        let terminal = try TmuxSession(command: shellCommand, width: width)
        self.addTeardownBlock { terminal.kill() }
        if waitForPrompt {
            try terminal.waitForScreen("the prompt") { $0.last == ">" }
        }
        return terminal
    }

    /// `HH:MM:SS.mmm ` followed by `rest`.
    static func isTimestamped(_ row: String, _ rest: String) -> Bool {
        let characters = Array(row)
        guard characters.count == 13 + rest.count, String(characters[13...]) == rest, characters[12] == " " else {
            return false
        }
        return characters[0..<12].enumerated().allSatisfy { index, character in
            switch index {
            case 2, 5: character == ":"
            case 8: character == "."
            default: character.isASCII && character.isNumber
            }
        }
    }

    /// `text` quoted for `sh`.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The `wsc` process among the descendants of `ancestor` (the pane's shell), found through /proc.
    func childProcess(of ancestor: Int32) throws -> Int32 {
        var queue = [ancestor]
        while !queue.isEmpty {
            let pid = queue.removeFirst()
            let name = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
            if pid != ancestor, name.trimmingCharacters(in: .whitespacesAndNewlines) == "wsc" {
                return pid
            }
            let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
            queue += children.split(separator: " ").compactMap { Int32($0) }
        }
        throw TmuxFailure(description: "no wsc process under the pane's shell \(ancestor)")
    }
}

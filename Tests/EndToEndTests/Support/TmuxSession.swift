import Foundation
import XCTest

/// A real terminal for tests of the REPL: a detached tmux session on a private tmux server, typed into with
/// `send-keys` and read back with `capture-pane`, so that tests assert what a person would see.
///
/// Every session runs on its own server socket (`-L`) with no configuration file, so a test neither touches
/// the user's tmux nor depends on it; ``kill()`` ends the server and everything running in it.
final class TmuxSession {
    private let socket: String
    private let target = "repl"

    /// Whether tmux is installed.
    static var isAvailable: Bool {
        (try? Self.run(["-V"], socket: nil)) != nil
    }

    /// Starts `command` (run by `sh -c`) in a new session of `width` by `height` cells.
    init(command: String, width: Int = 100, height: Int = 30) throws {
        self.socket = "wsc-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        try Self.run(
            ["-f", "/dev/null", "new-session", "-d", "-s", self.target, "-x", "\(width)", "-y", "\(height)", command],
            socket: self.socket
        )
    }

    /// Types `text` literally (no key names).
    func type(_ text: String) throws {
        try Self.run(["send-keys", "-t", self.target, "-l", text], socket: self.socket)
    }

    /// Presses keys by tmux name: `Enter`, `C-c`, `C-d`, `Left`, `Up`...
    func press(_ keys: String...) throws {
        try Self.run(["send-keys", "-t", self.target] + keys, socket: self.socket)
    }

    /// Pastes `text` as a terminal does when text is pasted into it: all of it written at once, as fast as the
    /// program reads it, each line break as a CR. `bracketed`: wrapped in `ESC [ 200 ~` and `ESC [ 201 ~` when
    /// the program turned bracketed paste on, as terminals do.
    func paste(_ text: String, bracketed: Bool = false) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wsc-paste-\(UUID().uuidString)")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try Self.run(["load-buffer", "-b", "paste", file.path], socket: self.socket)
        try Self.run(
            ["paste-buffer", "-d"] + (bracketed ? ["-p"] : []) + ["-b", "paste", "-t", self.target],
            socket: self.socket
        )
    }

    /// Makes the terminal each of `widths` columns wide in turn, in one go, as a window dragged by a person (the
    /// program gets SIGWINCH; tmux reflows wrapped rows).
    func resize(widths: [Int]) throws {
        let commands = widths.map { ["resize-window", "-t", self.target, "-x", "\($0)"] }
        try Self.run(Array(commands.joined(separator: [";"])), socket: self.socket)
    }

    /// Copies everything the program writes to the terminal from now on, escape sequences and all, to `file`.
    func record(to file: URL) throws {
        try Self.run(["pipe-pane", "-t", self.target, "cat >> \(file.path)"], socket: self.socket)
    }

    /// Every row, the scrollback's first, with rows the terminal wrapped joined into the lines written.
    func scrollback() throws -> [String] {
        let text = try Self.run(["capture-pane", "-p", "-J", "-S", "-", "-t", self.target], socket: self.socket)
        var rows = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let last = rows.last, last.trimmingCharacters(in: .whitespaces).isEmpty {
            rows.removeLast()
        }
        return rows
    }

    /// The visible rows, top to bottom, without the empty rows below the last text.
    func screen() throws -> [String] {
        let text = try Self.run(["capture-pane", "-p", "-t", self.target], socket: self.socket)
        var rows = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let last = rows.last, last.trimmingCharacters(in: .whitespaces).isEmpty {
            rows.removeLast()
        }
        return rows
    }

    /// The cursor's column and row, counted from 0 at the top left of the visible pane.
    func cursor() throws -> (column: Int, row: Int) {
        let text = try Self.run(
            ["display-message", "-p", "-t", self.target, "#{cursor_x} #{cursor_y}"],
            socket: self.socket
        )
        let numbers = text.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard numbers.count == 2 else {
            throw TmuxFailure(description: "unexpected cursor report '\(text)'")
        }
        return (numbers[0], numbers[1])
    }

    /// The process id of the pane's first process (the shell running the test's command).
    func panePID() throws -> Int32 {
        let text = try Self.run(["display-message", "-p", "-t", self.target, "#{pane_pid}"], socket: self.socket)
        guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TmuxFailure(description: "unexpected pane pid '\(text)'")
        }
        return pid
    }

    /// Polls the screen every 50 ms until `condition` holds, at most `timeout` seconds; returns that screen,
    /// or throws with `what` and the last screen seen.
    @discardableResult
    func waitForScreen(
        _ what: String,
        timeout: TimeInterval = 15,
        _ condition: ([String]) -> Bool
    ) throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var rows: [String] = []
        while Date() < deadline {
            rows = try self.screen()
            if condition(rows) {
                return rows
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TmuxFailure(
            description: "screen never showed \(what) in \(timeout) s; it showed:\n" + rows.joined(separator: "\n")
        )
    }

    /// Waits for a row that contains `text`, and returns its index.
    @discardableResult
    func waitForRow(containing text: String, timeout: TimeInterval = 15) throws -> Int {
        let rows = try self.waitForScreen("a row with '\(text)'", timeout: timeout) { rows in
            rows.contains { $0.contains(text) }
        }
        return rows.lastIndex { $0.contains(text) }!
    }

    /// Ends the tmux server of this session and every process in it.
    func kill() {
        _ = try? Self.run(["kill-server"], socket: self.socket)
        let folder = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        unlink("\(folder)/tmux-\(getuid())/\(self.socket)")
    }

    /// Runs tmux and waits for it. Spawned with `posix_spawnp` and reaped with `waitpid`, not with Foundation's
    /// `Process`, which on Linux missed the exit of the client that starts the tmux server and waited forever.
    @discardableResult
    private static func run(_ arguments: [String], socket: String?) throws -> String {
        let argv = ["tmux"] + (socket.map { ["-L", $0] } ?? []) + arguments
        // Only commands that print get a pipe: `new-session` starts the tmux server, which must not inherit it.
        let prints = arguments.contains { ["capture-pane", "display-message", "-V"].contains($0) }
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else {
            throw TmuxFailure(description: "pipe failed: \(errno)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if prints {
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = environment.map { strdup($0) } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, "tmux", &actions, nil, &cArguments, &cEnvironment)
        close(pipeEnds[1])
        defer { close(pipeEnds[0]) }
        guard spawned == 0 else {
            throw TmuxFailure(description: "cannot start tmux: error \(spawned)")
        }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, $0.count) }
            if count > 0 {
                output += chunk[0..<count]
            } else if count < 0, errno == EINTR {
                continue
            } else {
                break
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else {
                // Reaped by someone else (a process-wide SIGCHLD handler): the exit status is unknown.
                return String(decoding: output, as: UTF8.self)
            }
        }
        guard status == 0 else {
            throw TmuxFailure(description: "tmux \(arguments.joined(separator: " ")) failed with status \(status)")
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// tmux failed, or the screen never showed what a test waited for.
struct TmuxFailure: Error, CustomStringConvertible {
    let description: String
}

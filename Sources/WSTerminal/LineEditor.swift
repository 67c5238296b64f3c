import CLibEdit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The libedit line editor, driven through readline's callback interface one keystroke at a time, so that the
/// terminal thread can print between keystrokes.
///
/// Printing above a half-typed line goes through the editor: the prompt rows are erased from the cursor's row
/// down, the text is printed, and `rl_forced_update_display` draws the prompt, the line and the cursor again
/// from libedit's own state (libedit's refresh assumes the cursor sits at the start of the prompt's first row,
/// which the erase guarantees).
///
/// libedit's readline layer is process-wide state, so there is one editor at a time, used by the terminal
/// thread only. The line handler gets no context pointer: the finished line is parked in a static until
/// ``readKeystroke()`` collects it.
final class LineEditor {
    /// What the user finished.
    enum Input: Equatable {
        /// A line, Enter pressed; the bytes as typed, without the line break.
        case line([UInt8])
        /// Ctrl-D on an empty line.
        case endOfInput
    }

    /// The prompt.
    static let prompt = "> "
    private static let promptColumns = 2

    nonisolated(unsafe) private static var finishedInput: Input?

    /// Whether the prompt is up and the terminal in the editor's raw mode.
    private(set) var isPrompting = false
    /// The line being typed and the cursor's byte offset in it, as of the last keystroke.
    private var line: [UInt8] = []
    private var cursor = 0

    /// Sets libedit up with `history` (oldest first) for Up and Down; the prompt is not shown yet.
    init(history: [String], historyLimit: Int) {
        wsc_rl_configure()
        rl_initialize()
        stifle_history(Int32(clamping: historyLimit))
        for entry in history {
            add_history(entry)
        }
    }

    /// Whether nothing has been typed on the prompt line.
    var lineIsEmpty: Bool {
        self.line.isEmpty
    }

    /// Adds an entered line to the in-memory history.
    func remember(_ entry: String) {
        add_history(entry)
    }

    /// Shows the prompt and puts the terminal in raw mode. The cursor must be at the start of a row.
    func startPrompt() {
        guard !self.isPrompting else {
            return
        }
        fflush(wsc_stdout())
        rl_callback_handler_install(Self.prompt) { line in
            LineEditor.finish(line)
        }
        self.isPrompting = true
        self.line = []
        self.cursor = 0
    }

    /// Takes the prompt and the line being typed off the screen and gives the terminal its own modes back.
    func stopPrompt() {
        guard self.isPrompting else {
            return
        }
        rl_callback_handler_remove()
        TerminalOutput.write(self.eraseFromCursorRow())
        self.isPrompting = false
        self.line = []
        self.cursor = 0
    }

    /// Handles one keystroke; standard input must be readable. Returns what the keystroke finished, if anything;
    /// the prompt is then down (the echoed line erased, the terminal in its own modes) until ``startPrompt()``.
    func readKeystroke() -> Input? {
        precondition(self.isPrompting, "a keystroke was read while no prompt is up")
        Self.finishedInput = nil
        rl_callback_read_char()
        guard let input = Self.finishedInput else {
            let end = Int(wsc_rl_end())
            if let buffer = wsc_rl_line_buffer(), end > 0 {
                self.line = buffer.withMemoryRebound(to: UInt8.self, capacity: end) {
                    Array(UnsafeBufferPointer(start: $0, count: end))
                }
            } else {
                self.line = []
            }
            self.cursor = min(max(0, Int(wsc_rl_point())), self.line.count)
            return nil
        }
        Self.finishedInput = nil
        // libedit has already left raw mode to call the handler; removing it keeps it from coming back early.
        rl_callback_handler_remove()
        self.isPrompting = false
        switch input {
        case .line(let typed):
            // libedit echoed the line and moved below it; the transcript shows it again, timestamped, if sent.
            let rows = (Self.promptColumns + self.columns(of: typed)) / self.terminalColumns + 1
            TerminalOutput.write("\r\u{1B}[\(rows)A\u{1B}[J")
        case .endOfInput:
            // libedit echoed ^D on the prompt row.
            TerminalOutput.write(self.eraseFromCursorRow())
        }
        self.line = []
        self.cursor = 0
        return input
    }

    /// Prints `bytes` (whole lines) above the prompt, then draws the prompt, the half-typed line and the cursor
    /// again as they were; without a prompt, just prints.
    func printAbove(_ bytes: [UInt8]) {
        guard self.isPrompting else {
            // Without the prompt the terminal echoes what is typed (^C while waiting for the close, say):
            // start from a clean row.
            TerminalOutput.write(bytes.isEmpty || !TerminalOutput.isTerminal ? bytes : Array("\r\u{1B}[K".utf8) + bytes)
            return
        }
        TerminalOutput.write(self.eraseFromCursorRow() + bytes)
        rl_forced_update_display()
    }

    /// Throws the half-typed line away and shows an empty prompt.
    func clearLine() {
        guard self.isPrompting else {
            return
        }
        self.stopPrompt()
        self.startPrompt()
    }

    /// The terminal changed size: learn the new width and draw the prompt again.
    func terminalResized() {
        guard self.isPrompting else {
            return
        }
        rl_resize_terminal()
        self.printAbove([])
    }

    private var terminalColumns: Int {
        var rows: Int32 = 0
        var columns: Int32 = 0
        rl_get_screen_size(&rows, &columns)
        return max(1, Int(columns))
    }

    private func columns(of bytes: some Collection<UInt8>) -> Int {
        DisplayWidth.columns(of: String(decoding: bytes, as: UTF8.self).unicodeScalars)
    }

    /// Moves to the start of the prompt's first row and erases to the end of the screen.
    private func eraseFromCursorRow() -> [UInt8] {
        let row = (Self.promptColumns + self.columns(of: self.line.prefix(self.cursor))) / self.terminalColumns
        return Array(("\r" + (row > 0 ? "\u{1B}[\(row)A" : "") + "\u{1B}[J").utf8)
    }

    private static func finish(_ line: UnsafeMutablePointer<CChar>?) {
        guard let line else {
            Self.finishedInput = .endOfInput
            return
        }
        let length = strlen(line)
        let bytes = line.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
        Self.finishedInput = .line(bytes)
        free(line)
    }
}

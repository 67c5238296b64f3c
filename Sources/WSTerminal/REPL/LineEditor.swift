import CLibEdit

#if canImport(Glibc)
    import Glibc
#endif

/// The libedit line editor, driven one command at a time (libedit's unbuffered mode), so that the terminal
/// thread can print between keystrokes.
///
/// Printing above a half-typed line goes through the editor: the prompt rows are erased from the cursor's row
/// down, the text is printed, and libedit draws the prompt, the line and the cursor again from its own state
/// (its full redraw assumes the cursor sits at the start of the prompt's first row, which the erase guarantees).
///
/// libedit reads keystrokes through ``KeyboardReader``, so that the end of the terminal and a read error reach
/// the REPL instead of being retried, and a paste arrives in one piece: a run of plain text typed or pasted at
/// once is inserted with one redraw instead of one per character (which made a long paste quadratic).
///
/// The editor is used by the terminal thread only; libedit's callbacks find it through its context pointer.
final class LineEditor {
    /// What a keystroke finished, or what became of the terminal.
    enum Input: Equatable {
        /// A line, Enter pressed; the bytes as typed, without the line break.
        case line([UInt8])
        /// Ctrl-D on an empty line.
        case endOfInput
        /// The terminal is gone (hung up, or reading it fails): nobody is left to type.
        case terminalLost
        /// wsc runs in the background of its terminal, which another process group reads: reading would stop it
        /// (SIGTTIN) or fail, so the keyboard is left alone until wsc is continued in the foreground.
        case inBackground
        /// Tab found several ways to complete the line: show them.
        case choices([String])
    }

    /// The prompt.
    static let prompt = "> "

    private(set) var editor: OpaquePointer?
    private let history: OpaquePointer?
    private let keyboard = KeyboardReader()
    private var promptText: UnsafeMutablePointer<CChar>
    private var promptColumns: Int
    /// The history for Ctrl-R, oldest first, as libedit keeps it for Up and Down.
    private var entries: [[Unicode.Scalar]]
    private let historyLimit: Int
    /// The reverse search running, if any; Ctrl-R asked for one during the last command.
    private var search: HistorySearch?
    private var searchRequested = false
    /// Tab asked for a completion during the last command.
    private var completionRequested = false

    /// Whether the prompt is up and the terminal in the editor's raw mode.
    private(set) var isPrompting = false
    /// The terminal's modes as the editor set them for the prompt, to put back when something else changed
    /// them meanwhile (a shell that brought wsc to the foreground with its own modes).
    private var promptModes: termios?
    /// The cursor's row below the prompt's first row, as last drawn.
    private var cursorRow = 0
    /// Whether the line changed since it was last drawn (pasted text is drawn once the paste has been read).
    private var needsRedraw = false
    /// Whether the prompt is off the screen while the terminal changes size (``hideWhileResizing()``).
    private var hiddenWhileResizing = false

    /// Sets libedit up with `history` (oldest first) for Up and Down; the prompt is not shown yet.
    init(history: [String], historyLimit: Int) {
        self.promptText = strdup(Self.prompt)
        self.promptColumns = DisplayWidth.columns(of: Self.prompt.unicodeScalars)
        self.historyLimit = max(1, historyLimit)
        self.entries = history.suffix(self.historyLimit).map { Array($0.unicodeScalars) }
        self.history = wsc_history_open(Int32(clamping: historyLimit))
        for entry in history {
            wsc_history_add(self.history, entry)
        }
        self.editor = wsc_el_open(
            "wsc",
            self.history,
            { editor, character in
                guard let character, let lineEditor = LineEditor.owning(editor) else {
                    return -1
                }
                return lineEditor.keyboard.nextCharacter(into: character)
            },
            { editor in
                LineEditor.owning(editor)?.promptText
            },
            Unmanaged.passUnretained(self).toOpaque()
        )
        self.addFunctions()
        if let editor = self.editor {
            wsc_el_read_settings(editor)
        }
    }

    deinit {
        if let editor = self.editor {
            el_end(editor)
        }
        if let history = self.history {
            history_end(history)
        }
        free(self.promptText)
    }

    /// Whether nothing has been typed on the prompt line.
    var lineIsEmpty: Bool {
        guard let editor = self.editor, let info = el_wline(editor)?.pointee else {
            return true
        }
        return info.lastchar == info.buffer
    }

    /// The line being typed, as UTF-8 text; empty when the prompt is down or nothing is typed.
    var typedLine: String {
        guard self.isPrompting else {
            return ""
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: self.lineAndCursor().line)
        return text
    }

    /// Whether keystrokes already read from the terminal wait to be handled: handle them before sleeping in
    /// `poll`, which would not wake for them.
    var hasPendingInput: Bool {
        self.keyboard.hasPendingInput
    }

    /// Adds an entered line to the in-memory history.
    func remember(_ entry: String) {
        wsc_history_add(self.history, entry)
        self.entries.append(Array(entry.unicodeScalars))
        if self.entries.count > self.historyLimit {
            self.entries.removeFirst()
        }
    }

    /// Shows the prompt and puts the terminal in raw mode, with bracketed paste on. The cursor must be at the
    /// start of a row.
    func startPrompt() {
        guard !self.isPrompting, let editor = self.editor else {
            return
        }
        if TerminalOutput.isCapable {
            TerminalOutput.write(BracketedPaste.enable)
        }
        fflush(wsc_stdout())
        wsc_el_set_unbuffered(editor, 1)
        var modes = termios()
        self.promptModes = tcgetattr(STDIN_FILENO, &modes) == 0 ? modes : nil
        self.isPrompting = true
        self.cursorRow = 0
        self.needsRedraw = false
    }

    /// Puts the prompt's terminal modes back and redraws, after wsc was continued (`fg`): a shell that brings a
    /// job started in the background (`wsc URL &`) to the foreground gives the terminal its own, cooked modes,
    /// which would echo keys twice and hold them until Enter.
    func resumed() {
        guard self.isPrompting, var modes = self.promptModes else {
            return
        }
        _ = tcsetattr(STDIN_FILENO, TCSADRAIN, &modes)
        if TerminalOutput.isCapable {
            TerminalOutput.write(BracketedPaste.enable)
        }
        self.printAbove([])
    }

    /// Turns bracketed paste off before wsc stops (Ctrl-Z): the shell that takes the terminal over may not want
    /// it. ``resumed()`` turns it on again.
    func suspending() {
        guard self.isPrompting, TerminalOutput.isCapable else {
            return
        }
        TerminalOutput.write(BracketedPaste.disable)
    }

    /// Takes the prompt and the line being typed off the screen and gives the terminal its own modes back.
    func stopPrompt() {
        guard self.isPrompting, let editor = self.editor else {
            return
        }
        self.leavePromptModes(editor, erasing: self.eraseFromCursorRow())
        self.search = nil
        self.setPrompt(Self.prompt)
    }

    /// Handles one keystroke, or a run of plain text typed at once; standard input must be readable, or
    /// ``hasPendingInput`` true. Returns what the keystroke finished, if anything; after a line or the end of
    /// input the prompt is down (the echoed line erased, the terminal in its own modes) until ``startPrompt()``.
    func readKeystroke() -> Input? {
        precondition(self.isPrompting, "a keystroke was read while no prompt is up")
        guard let editor = self.editor else {
            return .terminalLost
        }
        // Typing during a resize: the prompt is needed now.
        self.showAfterResizing()
        if !self.keyboard.hasPendingInput {
            switch self.keyboard.fill() {
            case .read:
                break
            case .nothing:
                return nil
            case .inBackground:
                return .inBackground
            case .lost:
                return .terminalLost
            }
        }
        let emacs = wsc_el_is_emacs(editor) != 0
        if let pasted = self.keyboard.takePaste() ?? (emacs && self.keyboard.takeAltEnter() ? [0x0A, 0] : nil) {
            // A paste, or Alt-Enter's line break, ends a search as any other key does, then goes into the line
            // as typed text (libedit draws a line break as one: the line goes on at the start of the next row).
            if var search = self.search {
                self.show(search.handle(.other))
            }
            _ = pasted.withUnsafeBufferPointer { el_winsertstr(editor, $0.baseAddress) }
            self.needsRedraw = true
            return nil
        }
        if self.search != nil {
            // Keys of the search are the search's; the one that ends it goes on to libedit.
            guard let key = self.keyboard.nextScalar() else {
                return self.keyboard.lost ? .terminalLost : nil
            }
            guard self.searchKey(key) else {
                return nil
            }
            var pushed: [wchar_t] = [wchar_t(bitPattern: key.value), 0]
            el_wpush(editor, &pushed)
        } else if emacs, let text = self.keyboard.takePlainText() {
            // Inserted as a whole and drawn once the paste has been read (``drawIfNeeded()``): one redraw per
            // paste, not one per character, which made a long paste quadratic.
            _ = text.withUnsafeBufferPointer { el_winsertstr(editor, $0.baseAddress) }
            self.needsRedraw = true
            return nil
        }
        // libedit draws what a command changes assuming the screen shows the line as it last drew it, at the width
        // it knows: after a resize, the line is drawn again at the new width first.
        let columns = self.columns
        self.followResize(editor)
        if self.columns != columns {
            self.needsRedraw = true
        }
        self.drawIfNeeded()
        var count: Int32 = 0
        let buffer = el_wgets(editor, &count)
        if self.keyboard.lost {
            return .terminalLost
        }
        let input: Input
        if let buffer, count == 1, buffer[0] == 4 {
            input = .endOfInput
        } else if let buffer, count > 0, buffer[Int(count) - 1] == 0x0A || buffer[Int(count) - 1] == 0x0D {
            input = .line(Self.utf8(UnsafeBufferPointer(start: buffer, count: Int(count) - 1)))
        } else {
            return self.commandDone(editor)
        }
        switch input {
        case .line(let typed):
            // libedit echoed the line and moved below it; the transcript shows it again, timestamped, if sent.
            let scalars = String(decoding: typed, as: UTF8.self).unicodeScalars
            let rows = self.position(after: scalars).row + 1
            // A dumb terminal cannot go back up: the echo stays.
            let erase = TerminalOutput.isCapable ? Array("\r\u{1B}[\(rows)A\u{1B}[J".utf8) : []
            self.leavePromptModes(editor, erasing: erase)
        case .endOfInput, .terminalLost, .inBackground, .choices:
            // libedit echoed ^D on the prompt row.
            self.leavePromptModes(editor, erasing: self.eraseFromCursorRow())
        }
        return input
    }

    /// After a command that did not finish the line: what Ctrl-R or Tab asked for, and the cursor kept off the
    /// middle of a character (a word move can stop before a combining mark).
    private func commandDone(_ editor: OpaquePointer) -> Input? {
        if self.keepCursorOnClusterBoundary(editor) {
            self.printAbove([])
        }
        self.cursorRow = self.currentCursorRow()
        if self.searchRequested {
            self.searchRequested = false
            self.startSearch()
        }
        if self.completionRequested {
            self.completionRequested = false
            return self.complete(editor)
        }
        return nil
    }

    /// Raw mode and bracketed paste off, the echo erased (`erasing`): the prompt is down.
    private func leavePromptModes(_ editor: OpaquePointer, erasing: [UInt8]) {
        wsc_el_set_unbuffered(editor, 0)
        self.isPrompting = false
        TerminalOutput.write(erasing + (TerminalOutput.isCapable ? Array(BracketedPaste.disable.utf8) : []))
    }

    /// Ctrl-R: the search starts once the key's command is done.
    func requestSearch() {
        self.searchRequested = true
    }

    /// Tab: the completion is made once the key's command is done.
    func requestCompletion() {
        self.completionRequested = true
    }

    /// Whether a reverse history search (Ctrl-R) is running.
    var isSearching: Bool {
        self.search != nil
    }

    /// Ends the reverse history search, putting the line back as it was before it.
    func cancelSearch() {
        guard var search = self.search else {
            return
        }
        self.show(search.handle(.cancel))
    }

    /// Draws the line if keystrokes changed it without drawing it (a paste): call when they have been handled.
    func drawIfNeeded() {
        guard self.needsRedraw else {
            return
        }
        self.printAbove([])
    }

    /// Prints `bytes` (whole lines) above the prompt, then draws the prompt, the half-typed line and the cursor
    /// again as they were; without a prompt, just prints.
    func printAbove(_ bytes: [UInt8]) {
        guard self.isPrompting, let editor = self.editor else {
            // Without the prompt the terminal echoes what is typed (^C while waiting for the close, say):
            // start from a clean row.
            TerminalOutput.write(bytes.isEmpty ? bytes : self.blankRow() + bytes)
            return
        }
        guard !self.hiddenWhileResizing else {
            TerminalOutput.write(bytes)
            return
        }
        self.followResize(editor)
        TerminalOutput.write(self.eraseFromCursorRow() + bytes)
        wsc_el_redraw(editor)
        self.needsRedraw = false
        self.cursorRow = self.currentCursorRow()
    }

    /// Throws the half-typed line away and shows an empty prompt.
    func clearLine() {
        guard self.isPrompting else {
            return
        }
        self.stopPrompt()
        self.startPrompt()
    }

    /// The terminal is changing size: the prompt comes off the screen until ``showAfterResizing()``, and
    /// messages meanwhile are printed plainly.
    ///
    /// A prompt drawn while the size changes again (a window being dragged, several SIGWINCH in a row) is drawn
    /// for a width the terminal no longer has, and garbles into rows that no later erase can find; so it is
    /// drawn once the size has settled.
    func hideWhileResizing() {
        guard self.isPrompting, !self.hiddenWhileResizing, let editor = self.editor else {
            return
        }
        self.followResize(editor)
        TerminalOutput.write(self.eraseFromCursorRow())
        self.hiddenWhileResizing = true
        self.cursorRow = 0
    }

    /// The size has settled: the prompt is drawn again, at the new width.
    func showAfterResizing() {
        guard self.hiddenWhileResizing, let editor = self.editor else {
            return
        }
        // The size learnt while nothing is on the screen to find again: the cursor is at the start of a row.
        self.followResize(editor)
        self.hiddenWhileResizing = false
        self.printAbove([])
    }

    /// Learns the terminal's size, which may have changed since the prompt was drawn, before it is erased.
    ///
    /// The terminal has then re-wrapped the prompt's rows, which libedit ends with line breaks: a row longer than
    /// the new width is split, none is joined, so the prompt's first row is found from the rows as drawn, even
    /// when they were drawn for a width the terminal had already left (a burst of resizes). A terminal that
    /// truncates rows instead (xterm) keeps fewer rows than counted. Asked before every erase, not only on
    /// SIGWINCH, which may arrive after a message to print.
    private func followResize(_ editor: OpaquePointer) {
        let columns = self.columns
        el_resize(editor)
        if self.columns != columns, !self.hiddenWhileResizing {
            let (line, cursor) = self.lineAndCursor()
            self.cursorRow = DisplayWidth.rowAfterRewrap(
                after: line[..<cursor],
                from: self.promptColumns,
                drawnWidth: columns,
                width: self.columns
            )
        }
    }

    private func startSearch() {
        let (line, cursor) = self.lineAndCursor()
        let search = HistorySearch(entries: self.entries, line: line, cursor: cursor)
        self.search = search
        self.show(search.start)
    }

    /// Hands `key` to the search; `true` when it ended the search and is for libedit to handle.
    private func searchKey(_ key: Unicode.Scalar) -> Bool {
        guard var search = self.search else {
            return true
        }
        let searchKey: HistorySearch.Key
        switch key.value {
        case 0x12:
            searchKey = .searchAgain
        case 0x07:
            searchKey = .cancel
        case 0x08, 0x7F:
            searchKey = .deleteBackward
        case 0x00...0x1F:
            searchKey = .other
        default:
            searchKey = .character(key)
        }
        let action = search.handle(searchKey)
        self.search = search
        self.show(action)
        return searchKey == .other
    }

    private func show(_ action: HistorySearch.Action) {
        switch action {
        case .show(let prompt, let line, let cursor):
            self.setPrompt(prompt)
            self.setLine(line, cursor: cursor)
        case .finish(let line, let cursor):
            self.search = nil
            self.setPrompt(Self.prompt)
            self.setLine(line, cursor: cursor)
        }
        self.printAbove([])
    }

    private func setPrompt(_ prompt: String) {
        free(self.promptText)
        self.promptText = strdup(prompt)
        self.promptColumns = DisplayWidth.columns(of: prompt.unicodeScalars)
    }

    /// Replaces libedit's line with `line`, the cursor `cursor` characters in; drawn by the caller.
    private func setLine(_ line: [Unicode.Scalar], cursor: Int) {
        guard let editor = self.editor, let info = el_wline(editor)?.pointee, let start = info.buffer,
            let end = info.lastchar, let position = info.cursor
        else {
            return
        }
        el_cursor(editor, Int32(clamping: end - position))
        if end > start {
            el_deletestr(editor, Int32(clamping: end - start))
        }
        if !line.isEmpty {
            var text = line.map { wchar_t(bitPattern: $0.value) } + [0]
            el_winsertstr(editor, &text)
        }
        el_cursor(editor, Int32(clamping: cursor - line.count))
    }

    /// The terminal's width in columns, as libedit last learnt it.
    var columns: Int {
        guard let editor = self.editor else {
            return 80
        }
        return max(1, Int(wsc_el_columns(editor)))
    }

    /// Where libedit leaves the cursor after drawing the prompt and `scalars`.
    private func position(after scalars: some Sequence<Unicode.Scalar>) -> (row: Int, column: Int) {
        DisplayWidth.position(after: scalars, from: self.promptColumns, width: self.columns)
    }

    /// Moves to the start of the prompt's first row, as last drawn, and erases to the end of the screen.
    ///
    /// A dumb terminal (`TERM=dumb`) takes no escape sequences: a prompt on one row is blanked with spaces; a
    /// longer one stays, and the next row is started, so that what comes next is printed plainly below it.
    private func eraseFromCursorRow() -> [UInt8] {
        if self.hiddenWhileResizing {
            return []
        }
        guard TerminalOutput.isCapable else {
            let (line, _) = self.lineAndCursor()
            return self.position(after: line).row == 0 ? self.blankRow() : Array("\r\n".utf8)
        }
        return Array(("\r" + (self.cursorRow > 0 ? "\u{1B}[\(self.cursorRow)A" : "") + "\u{1B}[J").utf8)
    }

    /// The cursor's row blanked and the cursor at its start; nothing on what is not a terminal.
    private func blankRow() -> [UInt8] {
        guard TerminalOutput.isTerminal else {
            return []
        }
        guard TerminalOutput.isCapable else {
            return Array(("\r" + String(repeating: " ", count: self.columns - 1) + "\r").utf8)
        }
        return Array("\r\u{1B}[K".utf8)
    }

    /// The cursor's row below the prompt's first row in libedit's line as it is now.
    private func currentCursorRow() -> Int {
        let (line, cursor) = self.lineAndCursor()
        return self.position(after: line[..<cursor]).row
    }

    /// libedit's line as it is now, and the cursor's place in it, in characters (Unicode scalars).
    func lineAndCursor() -> (line: [Unicode.Scalar], cursor: Int) {
        guard let editor = self.editor, let info = el_wline(editor)?.pointee, let start = info.buffer,
            let end = info.lastchar, let cursor = info.cursor
        else {
            return ([], 0)
        }
        let line = UnsafeBufferPointer(start: start, count: end - start).map {
            Unicode.Scalar(UInt32(bitPattern: $0)) ?? "\u{FFFD}"
        }
        return (line, cursor - start)
    }

    private static func utf8(_ characters: UnsafeBufferPointer<wchar_t>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(characters.count)
        for character in characters {
            let scalar = Unicode.Scalar(UInt32(bitPattern: character)) ?? "\u{FFFD}"
            UTF8.encode(scalar) { bytes.append($0) }
        }
        return bytes
    }

    static func owning(_ editor: OpaquePointer?) -> LineEditor? {
        guard let editor, let context = wsc_el_context(editor) else {
            return nil
        }
        return Unmanaged<LineEditor>.fromOpaque(context).takeUnretainedValue()
    }
}

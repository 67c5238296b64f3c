import CLibEdit

#if canImport(Glibc)
    import Glibc
#endif

/// The editing functions wsc adds to libedit's: Ctrl-R's search, Tab's completion, and moving and deleting by
/// user-perceived character (grapheme cluster) instead of by Unicode scalar, so that `é` typed as `e` and a
/// combining accent, a flag, or an emoji family joined by zero-width joiners is never split by the cursor.
///
/// They are bound before `~/.editrc` is read, which may bind the keys to something else (or choose vi keys).
extension LineEditor {
    func addFunctions() {
        self.add("wsc-search-history", "search the history backwards as you type", keys: ["^R"]) { editor, _ in
            LineEditor.owning(editor)?.requestSearch()
            return UInt8(CC_NORM)
        }
        self.add("wsc-complete", "complete a slash command or its argument", keys: ["^I"]) { editor, _ in
            LineEditor.owning(editor)?.requestCompletion()
            return UInt8(CC_NORM)
        }
        self.add("wsc-backward-char", "move back one character", keys: ["^B", "\\e[D", "\\eOD", "\\e[1;2D"]) {
            editor,
            _ in
            LineEditor.owning(editor)?.moveCursor(forward: false) ?? UInt8(CC_ERROR)
        }
        self.add("wsc-forward-char", "move forward one character", keys: ["^F", "\\e[C", "\\eOC", "\\e[1;2C"]) {
            editor,
            _ in
            LineEditor.owning(editor)?.moveCursor(forward: true) ?? UInt8(CC_ERROR)
        }
        self.add("wsc-delete-prev-char", "delete the character before the cursor", keys: ["^H", "^?"]) { editor, _ in
            LineEditor.owning(editor)?.deleteCharacter(forward: false) ?? UInt8(CC_ERROR)
        }
        self.add("wsc-delete-next-char", "delete the character under the cursor", keys: ["\\e[3~"]) { editor, _ in
            LineEditor.owning(editor)?.deleteCharacter(forward: true) ?? UInt8(CC_ERROR)
        }
        self.add("wsc-delete-or-eof", "delete the character under the cursor, or end on an empty line", keys: ["^D"]) {
            editor,
            _ in
            guard let lineEditor = LineEditor.owning(editor) else {
                return UInt8(CC_ERROR)
            }
            return lineEditor.lineIsEmpty ? UInt8(CC_EOF) : lineEditor.deleteCharacter(forward: true)
        }
    }

    private func add(_ name: String, _ help: String, keys: [String], _ function: wsc_el_key_function) {
        guard let editor = self.editor else {
            return
        }
        let copies = keys.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        pointers.withUnsafeBufferPointer {
            wsc_el_add_function(editor, name, help, function, $0.baseAddress, Int32($0.count))
        }
    }

    /// Moves the cursor over one grapheme cluster.
    private func moveCursor(forward: Bool) -> UInt8 {
        guard let editor = self.editor else {
            return UInt8(CC_ERROR)
        }
        let (line, cursor) = self.lineAndCursor()
        let target =
            forward
            ? GraphemeClusters.next(after: cursor, in: line) : GraphemeClusters.previous(before: cursor, in: line)
        guard target != cursor else {
            return UInt8(CC_ERROR)
        }
        el_cursor(editor, Int32(clamping: target - cursor))
        return UInt8(CC_CURSOR)
    }

    /// Deletes the grapheme cluster before or under the cursor.
    private func deleteCharacter(forward: Bool) -> UInt8 {
        guard let editor = self.editor else {
            return UInt8(CC_ERROR)
        }
        let (line, cursor) = self.lineAndCursor()
        let (start, end) =
            forward
            ? (cursor, GraphemeClusters.next(after: cursor, in: line))
            : (GraphemeClusters.previous(before: cursor, in: line), cursor)
        guard end > start else {
            return UInt8(CC_ERROR)
        }
        el_cursor(editor, Int32(clamping: end - cursor))
        el_deletestr(editor, Int32(clamping: end - start))
        return UInt8(CC_REFRESH)
    }

    /// Moves the cursor to the end of the grapheme cluster it is inside, if any; `true` when it moved.
    func keepCursorOnClusterBoundary(_ editor: OpaquePointer) -> Bool {
        let (line, cursor) = self.lineAndCursor()
        let boundary = GraphemeClusters.boundary(atOrAfter: cursor, in: line)
        guard boundary != cursor else {
            return false
        }
        el_cursor(editor, Int32(clamping: boundary - cursor))
        return true
    }

    /// Completes the slash command (or its argument) before the cursor, or returns the choices when there are
    /// several. An ordinary message is left alone: Tab types nothing in it.
    func complete(_ editor: OpaquePointer) -> Input? {
        let (line, cursor) = self.lineAndCursor()
        var typed = ""
        typed.unicodeScalars.append(contentsOf: line[..<cursor])
        switch SlashCompletion.complete(typed) {
        case .nothing:
            return nil
        case .insert(let text):
            var characters = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0]
            el_winsertstr(editor, &characters)
            self.printAbove([])
            return nil
        case .choices(let choices):
            return .choices(choices)
        }
    }
}

/// Where user-perceived characters (extended grapheme clusters, Unicode Standard Annex #29) start in a line of
/// Unicode scalars, as Swift's `Character` finds them.
enum GraphemeClusters {
    /// The offset of the cluster before `cursor` (0 at the start).
    static func previous(before cursor: Int, in line: [Unicode.Scalar]) -> Int {
        Self.boundaries(of: line).last { $0 < cursor } ?? 0
    }

    /// The offset of the cluster after the one at `cursor` (the line's end at the end).
    static func next(after cursor: Int, in line: [Unicode.Scalar]) -> Int {
        Self.boundaries(of: line).first { $0 > cursor } ?? line.count
    }

    /// `cursor` if a cluster starts there, else where the next one starts.
    static func boundary(atOrAfter cursor: Int, in line: [Unicode.Scalar]) -> Int {
        Self.boundaries(of: line).first { $0 >= cursor } ?? line.count
    }

    /// Every cluster's start, and the line's end.
    static func boundaries(of line: [Unicode.Scalar]) -> [Int] {
        var text = ""
        text.unicodeScalars.append(contentsOf: line)
        var offsets = [0]
        var offset = 0
        for character in text {
            offset += character.unicodeScalars.count
            offsets.append(offset)
        }
        return offsets
    }
}

/// A reverse incremental search through the history (Ctrl-R), as readline's: each typed character narrows the
/// search to the newest entry containing the query, Ctrl-R goes on to an older one, Backspace widens it again;
/// Ctrl-G or Ctrl-C puts the line back as it was, and any other key takes the line found and is then handled as
/// usual (Enter sends it, an arrow key moves in it).
///
/// It is driven by the terminal thread one key at a time, like every other keystroke, so messages keep
/// appearing and Ctrl-C keeps working while it runs (libedit's own search reads the keyboard in a loop of its
/// own). Lines and cursors are in Unicode scalars, libedit's characters.
struct HistorySearch {
    /// A key pressed during the search.
    enum Key: Equatable {
        /// A character to add to the query.
        case character(Unicode.Scalar)
        /// Ctrl-R: the next older match.
        case searchAgain
        /// Backspace: the query's last character off.
        case deleteBackward
        /// Ctrl-G (or Ctrl-C): the line as it was before the search.
        case cancel
        /// Anything else: the line found, then the key as usual.
        case other
    }

    /// What to show or do.
    enum Action: Equatable {
        /// Show `prompt` with `line`, the cursor `cursor` characters into it.
        case show(prompt: String, line: [Unicode.Scalar], cursor: Int)
        /// The search is over: edit `line`, the cursor `cursor` characters into it.
        case finish(line: [Unicode.Scalar], cursor: Int)
    }

    private let entries: [[Unicode.Scalar]]
    private let originalLine: [Unicode.Scalar]
    private let originalCursor: Int
    private var query: [Unicode.Scalar] = []
    /// The entry found and where the query starts in it.
    private var match: (entry: Int, offset: Int)?
    private var failed = false

    /// A search through `entries` (oldest first), started on `line` with the cursor `cursor` characters in.
    init(entries: [[Unicode.Scalar]], line: [Unicode.Scalar], cursor: Int) {
        self.entries = entries
        self.originalLine = line
        self.originalCursor = cursor
    }

    /// What to show as the search starts.
    var start: Action {
        self.shown
    }

    /// Handles `key`.
    mutating func handle(_ key: Key) -> Action {
        switch key {
        case .character(let character):
            self.query.append(character)
            self.find(from: self.match?.entry ?? self.entries.count - 1)
        case .searchAgain:
            if !self.query.isEmpty {
                self.find(from: (self.match?.entry ?? self.entries.count) - 1)
            }
        case .deleteBackward:
            if !self.query.isEmpty {
                self.query.removeLast()
            }
            self.match = nil
            self.failed = false
            if !self.query.isEmpty {
                self.find(from: self.entries.count - 1)
            }
        case .cancel:
            return .finish(line: self.originalLine, cursor: self.originalCursor)
        case .other:
            guard let match = self.match else {
                return .finish(line: self.originalLine, cursor: self.originalCursor)
            }
            return .finish(line: self.entries[match.entry], cursor: match.offset)
        }
        return self.shown
    }

    private var shown: Action {
        let prompt =
            (self.failed ? "(failed reverse-i-search)`" : "(reverse-i-search)`") + self.text(self.query) + "': "
        guard let match = self.match else {
            return .show(prompt: prompt, line: self.originalLine, cursor: self.originalCursor)
        }
        return .show(prompt: prompt, line: self.entries[match.entry], cursor: match.offset)
    }

    /// Finds the newest entry at or before `start` that contains the query; without one, the last match stays
    /// and the search is marked failed.
    private mutating func find(from start: Int) {
        var index = min(start, self.entries.count - 1)
        while index >= 0 {
            if let offset = Self.offset(of: self.query, in: self.entries[index]) {
                self.match = (index, offset)
                self.failed = false
                return
            }
            index -= 1
        }
        self.failed = true
    }

    private static func offset(of query: [Unicode.Scalar], in entry: [Unicode.Scalar]) -> Int? {
        guard query.count <= entry.count else {
            return nil
        }
        return (0...(entry.count - query.count)).first { entry[$0..<$0 + query.count].elementsEqual(query) }
    }

    private func text(_ scalars: [Unicode.Scalar]) -> String {
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return text
    }
}

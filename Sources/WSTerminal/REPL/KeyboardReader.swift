#if canImport(Glibc)
    import Glibc
#endif

/// Reads the terminal (standard input) for the line editor: what one `read` returns is kept, and handed to
/// libedit one character at a time or, for a run of plain text, as a whole.
///
/// A read that returns nothing (the terminal hung up) or fails is final: the terminal is ``lost``, and the REPL
/// ends its input instead of polling a descriptor that will always be readable. A process that is not in the
/// terminal's foreground process group does not read at all: the kernel would stop it (SIGTTIN) or, with that
/// signal blocked as it is on the terminal thread, fail every read with EIO.
final class KeyboardReader {
    /// What ``fill()`` found.
    enum Fill: Equatable {
        /// Keystrokes are pending.
        case read
        /// Nothing after all (a read that would block).
        case nothing
        /// Another process group owns the terminal.
        case inBackground
        /// The terminal is gone.
        case lost
    }

    private var pending: [UInt8] = []
    private var offset = 0
    private var paste = BracketedPaste()
    /// Whether the terminal is gone: a read returned end of file or failed.
    private(set) var lost = false

    /// Whether bytes read from the terminal wait to be handled.
    var hasPendingInput: Bool {
        self.offset < self.pending.count
    }

    /// Reads what the terminal has (standard input must be readable), unless wsc is in the background.
    func fill() -> Fill {
        guard !self.lost else {
            return .lost
        }
        let foreground = tcgetpgrp(STDIN_FILENO)
        if foreground == -1 {
            // A terminal that hung up answers no questions (EIO).
            self.lost = errno != ENOTTY
            return self.lost ? .lost : self.readTerminal()
        }
        guard foreground == getpgrp() else {
            return .inBackground
        }
        return self.readTerminal()
    }

    /// For libedit: the next character into `character` and 1, or -1 when there is none (see ``lost``). Waits
    /// for the terminal when nothing is pending (the rest of an escape sequence, say).
    func nextCharacter(into character: UnsafeMutablePointer<wchar_t>) -> Int32 {
        while let lead = self.nextByte() {
            guard let length = Self.sequenceLength(lead) else {
                continue
            }
            var bytes = [lead]
            while bytes.count < length, let next = self.nextByte() {
                guard next & 0xC0 == 0x80 else {
                    self.offset -= 1
                    break
                }
                bytes.append(next)
            }
            var decoder = UTF8()
            var iterator = bytes.makeIterator()
            if bytes.count == length, case .scalarValue(let scalar) = decoder.decode(&iterator) {
                character.pointee = wchar_t(bitPattern: scalar.value)
                return 1
            }
            // Not UTF-8: dropped, as libedit drops what its locale cannot decode.
        }
        character.pointee = 0
        return -1
    }

    /// The next character, read from the terminal if none is pending; `nil` when there is none (see ``lost``).
    func nextScalar() -> Unicode.Scalar? {
        var character: wchar_t = 0
        guard self.nextCharacter(into: &character) == 1 else {
            return nil
        }
        return Unicode.Scalar(UInt32(bitPattern: character))
    }

    /// The pending run of plain text (printable characters, whole UTF-8 sequences) if it is more than one
    /// character, as a NUL-terminated wide string; the characters are then no longer pending.
    func takePlainText() -> [wchar_t]? {
        var text: [wchar_t] = []
        var index = self.offset
        while index < self.pending.count {
            let lead = self.pending[index]
            guard lead >= 0x20, lead != 0x7F, let length = Self.sequenceLength(lead),
                index + length <= self.pending.count
            else {
                break
            }
            var decoder = UTF8()
            var iterator = self.pending[index..<index + length].makeIterator()
            guard case .scalarValue(let scalar) = decoder.decode(&iterator), scalar.value >= 0xA0 || length == 1
            else {
                break
            }
            text.append(wchar_t(bitPattern: scalar.value))
            index += length
        }
        guard text.count > 1 else {
            return nil
        }
        self.offset = index
        return text + [0]
    }

    /// The text of a bracketed paste, if the pending keystrokes start one or one is being read: everything pasted
    /// that has arrived, line breaks included, as a NUL-terminated wide string to insert into the line. `nil`
    /// when no paste is being read.
    func takePaste() -> [wchar_t]? {
        while true {
            switch self.paste.take(self.pending[self.offset...]) {
            case .notPasted:
                return nil
            case .incomplete:
                // The rest of a marker, or of a character, is on its way: wait for it.
                guard self.readTerminal() == .read else {
                    return nil
                }
            case .text(let text, let consumed):
                self.offset += consumed
                return text.map { wchar_t(bitPattern: $0.value) } + [0]
            }
        }
    }

    /// Whether the pending keystrokes start with Alt-Enter (Escape, then CR or LF), which is then no longer
    /// pending.
    func takeAltEnter() -> Bool {
        let rest = self.pending[self.offset...]
        guard rest.starts(with: [0x1B, 0x0D]) || rest.starts(with: [0x1B, 0x0A]) else {
            return false
        }
        self.offset += 2
        return true
    }

    private func nextByte() -> UInt8? {
        if self.offset >= self.pending.count {
            guard self.readTerminal() == .read else {
                return nil
            }
        }
        defer { self.offset += 1 }
        return self.pending[self.offset]
    }

    private func readTerminal() -> Fill {
        guard !self.lost else {
            return .lost
        }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count > 0 {
                self.pending = Array(self.pending[self.offset...]) + buffer[0..<count]
                self.offset = 0
                return .read
            }
            if count < 0, errno == EINTR {
                continue
            }
            if count < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                return .nothing
            }
            if count < 0, errno == EIO {
                let owner = tcgetpgrp(STDIN_FILENO)
                if owner != -1, owner != getpgrp() {
                    // Moved to the background between the check and the read.
                    return .inBackground
                }
            }
            self.lost = true
            return .lost
        }
    }

    /// The length of the UTF-8 sequence `lead` starts; `nil` for a byte that cannot start one.
    private static func sequenceLength(_ lead: UInt8) -> Int? {
        switch lead {
        case 0x00...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: nil
        }
    }
}

/// A bracketed paste (xterm's mode 2004): while it is on, the terminal wraps pasted text in `ESC [ 200 ~` and
/// `ESC [ 201 ~`, so that a pasted line break is text, not Enter, and a paste cannot run commands.
///
/// Pasted line breaks (the CR a terminal sends for each, or CR LF) become LF; other control characters, which a
/// paste has no business sending to the line editor, are dropped, as are bytes that are not UTF-8.
struct BracketedPaste {
    /// What ``take(_:)`` found.
    enum Taken: Equatable {
        /// The bytes do not start a paste, and none is being read.
        case notPasted
        /// A paste is being read and more bytes are needed: its end marker or a character is cut short, or
        /// nothing more has arrived.
        case incomplete
        /// Pasted text, and how many bytes it took (markers included); the paste may go on in later bytes.
        case text([Unicode.Scalar], consumed: Int)
    }

    /// Turns the mode on: the terminal then brackets pastes.
    static let enable = "\u{1B}[?2004h"
    /// Turns the mode off.
    static let disable = "\u{1B}[?2004l"
    private static let start = Array("\u{1B}[200~".utf8)
    private static let end = Array("\u{1B}[201~".utf8)

    /// Whether the start of a paste was read and not its end.
    private(set) var isPasting = false
    /// Whether the last pasted character was a CR, so that an LF right after it is the same line break.
    private var afterCarriageReturn = false

    /// Reads pasted text from the start of `bytes`.
    mutating func take(_ bytes: ArraySlice<UInt8>) -> Taken {
        var index = bytes.startIndex
        if !self.isPasting {
            // A terminal writes the start marker in one piece; a lone Escape (vi's command mode) must not wait for
            // more.
            guard bytes.starts(with: Self.start) else {
                return .notPasted
            }
            self.isPasting = true
            self.afterCarriageReturn = false
            index += Self.start.count
        }
        var text: [Unicode.Scalar] = []
        while index < bytes.endIndex {
            let rest = bytes[index...]
            if rest.first == 0x1B, Self.end.starts(with: rest.prefix(Self.end.count)) {
                guard rest.count >= Self.end.count else {
                    break
                }
                self.isPasting = false
                index += Self.end.count
                break
            }
            if Self.isCutShort(rest) {
                break
            }
            var iterator = rest.makeIterator()
            var decoder = UTF8()
            if case .scalarValue(let scalar) = decoder.decode(&iterator) {
                index += UTF8.width(scalar)
                self.append(scalar, to: &text)
            } else {
                index += 1
            }
        }
        let consumed = index - bytes.startIndex
        return consumed == 0 ? .incomplete : .text(text, consumed: consumed)
    }

    private mutating func append(_ scalar: Unicode.Scalar, to text: inout [Unicode.Scalar]) {
        let afterCarriageReturn = self.afterCarriageReturn
        self.afterCarriageReturn = scalar == "\r"
        switch scalar {
        case "\r":
            text.append("\n")
        case "\n" where afterCarriageReturn:
            break
        case "\n", "\t":
            text.append(scalar)
        case "\u{00}"..."\u{1F}", "\u{7F}":
            break
        default:
            text.append(scalar)
        }
    }

    /// Whether `bytes` is the start of a UTF-8 sequence that has not arrived whole.
    private static func isCutShort(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let lead = bytes.first else {
            return false
        }
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return false
        }
        return bytes.count < length && bytes.dropFirst().allSatisfy { $0 & 0xC0 == 0x80 }
    }
}

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

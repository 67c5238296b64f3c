/// Which characters of a message may reach the terminal as they are.
///
/// A WebSocket peer chooses every byte of a text message, and a terminal obeys control characters: ESC starts
/// sequences that move the cursor, rewrite the screen or the window title, and C1 controls such as U+009B (CSI)
/// do the same on terminals that honour 8-bit controls. Such characters are shown as visible escapes instead.
///
/// The one rule for every string a peer or a user chose that reaches a terminal: the REPL's transcript and
/// wsc's own lines on stderr (`wsc: error: …`) both escape with it.
public enum TerminalEscaping {
    /// `text` with every character that must not reach the terminal replaced by its visible escape, line breaks
    /// included: the result is one line. A tab becomes `\t` too, so that what was sent can be told from spaces.
    public static func escaped(_ text: some StringProtocol) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar == "\t" {
                result += "\\t"
            } else if let replacement = Self.replacement(for: scalar) {
                result += replacement
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The visible stand-in for `scalar` when it must not reach the terminal, or `nil` when it may.
    ///
    /// Tab passes (it only moves to the next tab stop); line breaks are the caller's business.
    static func replacement(for scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x09:
            return nil
        case 0x0A:
            return "\\n"
        case 0x0D:
            return "\\r"
        case 0x00...0x1F, 0x7F:
            return "\\x" + Self.hex(scalar.value, digits: 2)
        case 0x80...0x9F:
            // C1 controls (ECMA-48 section 5.2).
            return "\\u" + Self.hex(scalar.value, digits: 4)
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029:
            // Bidirectional controls reorder what is shown, and the two separators break lines on some terminals:
            // what is on the screen must be what was sent.
            return "\\u" + Self.hex(scalar.value, digits: 4)
        case 0x00AD, 0x180E, 0x200B, 0x2060...0x2064, 0xFEFF, 0xFFF9...0xFFFB:
            // Invisible format characters (a soft hyphen, zero-width spaces, a byte order mark): shown, so that
            // two texts that look the same are the same. The joiners emoji and scripts need (U+200C, U+200D)
            // pass.
            return "\\u" + Self.hex(scalar.value, digits: 4)
        default:
            return nil
        }
    }

    /// `value` in lower-case hex, zero-padded to `digits`.
    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}

/// Builds transcript output as terminal bytes: lines end with CR LF (the line editor may have the terminal in
/// raw mode) and styles become SGR sequences only when colours are on.
struct TranscriptBuilder {
    /// Whether styles are written as escape sequences.
    let colors: Bool
    /// The bytes built so far.
    private(set) var bytes: [UInt8] = []

    /// Starts empty.
    init(colors: Bool) {
        self.colors = colors
    }

    /// Appends text we wrote ourselves, which holds no control characters.
    mutating func append(_ text: String) {
        self.bytes.append(contentsOf: text.utf8)
    }

    /// Appends text we wrote ourselves in `style`.
    mutating func append(_ text: String, _ style: TranscriptStyle) {
        self.startStyle(style)
        self.append(text)
        self.endStyle()
    }

    /// Appends `count` spaces.
    mutating func appendSpaces(_ count: Int) {
        self.bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: max(0, count)))
    }

    /// Ends the current line.
    mutating func endLine() {
        self.bytes.append(contentsOf: [0x0D, 0x0A])
    }

    /// Appends text that came from the peer or the user, so that it cannot drive the terminal (see
    /// ``TerminalEscaping``).
    ///
    /// A line feed inside the text starts a new line indented by `indent` columns, so that a multi-line message
    /// reads as a block; a CR LF pair counts as one line feed. A line break that ends the text is shown as an
    /// escape instead, so that it is visible and leaves no empty line.
    mutating func appendUntrusted(_ text: String, indent: Int) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            let isCRLF = scalar == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n"
            let breakLength = scalar == "\n" ? 1 : (isCRLF ? 2 : 0)
            if breakLength > 0, index + breakLength < scalars.count {
                self.endLine()
                self.appendSpaces(indent)
                index += breakLength
                continue
            }
            if let replacement = TerminalEscaping.replacement(for: scalar) {
                self.append(replacement, .escape)
            } else {
                UTF8.encode(scalar) { self.bytes.append($0) }
            }
            index += 1
        }
    }

    private mutating func startStyle(_ style: TranscriptStyle) {
        guard self.colors else {
            return
        }
        self.append("\u{1B}[" + style.selectGraphicRendition + "m")
    }

    private mutating func endStyle() {
        guard self.colors else {
            return
        }
        self.append("\u{1B}[0m")
    }
}

/// Builds transcript output as terminal bytes: lines end with CR LF (the line editor may have the terminal in
/// raw mode) and styles become SGR sequences only when colours are on.
///
/// With a `width`, text from the peer or the user that would run past the last column goes on at the next row
/// under the payload's first column (a hanging indent), as the lines of a multi-line message do.
struct TranscriptBuilder {
    /// Whether styles are written as escape sequences.
    let colors: Bool
    /// The terminal's width in columns; `nil` never wraps.
    let width: Int?
    /// The bytes built so far.
    private(set) var bytes: [UInt8] = []
    /// The column the next character goes to.
    private var column = 0

    /// The fewest columns left after a hanging indent for it to be worth it: on a narrower terminal, text wraps
    /// as the terminal wraps it.
    private static let minimumWrappedColumns = 20

    /// Starts empty.
    init(colors: Bool, width: Int? = nil) {
        self.colors = colors
        self.width = width
    }

    /// Appends text we wrote ourselves, which holds no control characters.
    mutating func append(_ text: String) {
        self.bytes.append(contentsOf: text.utf8)
        self.column += DisplayWidth.columns(of: text.unicodeScalars)
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
        self.column += max(0, count)
    }

    /// Ends the current line.
    mutating func endLine() {
        self.bytes.append(contentsOf: [0x0D, 0x0A])
        self.column = 0
    }

    /// Appends text that came from the peer or the user, so that it cannot drive the terminal (see
    /// ``TerminalEscaping``), in `style` if any.
    ///
    /// A line feed inside the text starts a new line indented by `indent` columns, so that a multi-line message
    /// reads as a block; a CR LF pair counts as one line feed. A line break that ends the text is shown as an
    /// escape instead, so that it is visible and leaves no empty line. A line too long for the width goes on
    /// at the next row, indented the same way.
    mutating func appendUntrusted(_ text: String, indent: Int, _ style: TranscriptStyle? = nil) {
        let scalars = Array(text.unicodeScalars)
        if let style {
            self.startStyle(style)
        }
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            let isCRLF = scalar == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n"
            let breakLength = scalar == "\n" ? 1 : (isCRLF ? 2 : 0)
            if breakLength > 0, index + breakLength < scalars.count {
                self.breakLine(indent: indent, style: style)
                index += breakLength
                continue
            }
            if let replacement = TerminalEscaping.replacement(for: scalar) {
                self.wrapIfNeeded(replacement.count, indent: indent, style: style)
                self.append(replacement, .escape)
                if let style {
                    self.startStyle(style)
                }
            } else {
                self.wrapIfNeeded(scalar == "\t" ? 1 : DisplayWidth.columns(of: scalar), indent: indent, style: style)
                UTF8.encode(scalar) { self.bytes.append($0) }
                self.column += scalar == "\t" ? 8 - self.column % 8 : DisplayWidth.columns(of: scalar)
            }
            index += 1
        }
        if style != nil {
            self.endStyle()
        }
    }

    /// Starts the next row of a block, under its first column.
    private mutating func breakLine(indent: Int, style: TranscriptStyle?) {
        if style != nil {
            self.endStyle()
        }
        self.endLine()
        self.appendSpaces(indent)
        if let style {
            self.startStyle(style)
        }
    }

    private mutating func wrapIfNeeded(_ columns: Int, indent: Int, style: TranscriptStyle?) {
        guard let width = self.width, width - indent >= Self.minimumWrappedColumns, self.column > indent,
            self.column + columns > width
        else {
            return
        }
        self.breakLine(indent: indent, style: style)
    }

    private mutating func startStyle(_ style: TranscriptStyle) {
        guard self.colors else {
            return
        }
        self.bytes.append(contentsOf: ("\u{1B}[" + style.selectGraphicRendition + "m").utf8)
    }

    private mutating func endStyle() {
        guard self.colors else {
            return
        }
        self.bytes.append(contentsOf: "\u{1B}[0m".utf8)
    }
}

/// Lays out a JSON text (RFC 8259) whose top level is an object or an array one member or element to a line,
/// indented by depth, as `JSON.stringify(value, null, 2)` would, but keeping the text of every key and value
/// exactly as it came (number spellings, escapes, key order, duplicate keys).
///
/// Anything that is not such JSON gets `nil`, and is shown as it came.
enum JSONPrettyPrinter {
    /// One line of the layout.
    struct Line: Equatable {
        /// How deep it is: indented by two spaces per level.
        var depth: Int
        /// Its text, in pieces.
        var pieces: [Piece]
    }

    /// A piece of a line: a key (shown in its own style) or anything else.
    struct Piece: Equatable {
        /// The text, as in the message.
        var text: String
        /// Whether it is an object's key, quotes included.
        var isKey: Bool
    }

    /// The deepest nesting laid out: deeper JSON is shown as it came (and the parser's recursion is bounded).
    static let maximumDepth = 64

    /// The lines for `text`, or `nil` when it is not an object or array in valid JSON.
    static func lines(of text: String) -> [Line]? {
        var parser = Parser(bytes: Array(text.utf8))
        parser.skipSpace()
        guard let first = parser.peek, first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
            return nil
        }
        guard parser.value(depth: 0) else {
            return nil
        }
        parser.skipSpace()
        guard parser.index == parser.bytes.count else {
            return nil
        }
        parser.lines.append(parser.current)
        return parser.lines
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var lines: [Line] = []
        var current = Line(depth: 0, pieces: [])

        var peek: UInt8? {
            self.index < self.bytes.count ? self.bytes[self.index] : nil
        }

        mutating func skipSpace() {
            while let byte = self.peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                self.index += 1
            }
        }

        mutating func value(depth: Int) -> Bool {
            self.skipSpace()
            guard let byte = self.peek else {
                return false
            }
            switch byte {
            case UInt8(ascii: "{"):
                return self.container(depth: depth, open: "{", close: "}")
            case UInt8(ascii: "["):
                return self.container(depth: depth, open: "[", close: "]")
            case UInt8(ascii: "\""):
                return self.string(isKey: false)
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                return self.literal()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return self.number()
            default:
                return false
            }
        }

        private mutating func container(depth: Int, open: Character, close: Character) -> Bool {
            guard depth < JSONPrettyPrinter.maximumDepth else {
                return false
            }
            let closing = UInt8(ascii: close.unicodeScalars.first!)
            let isObject = open == "{"
            self.index += 1
            self.skipSpace()
            if self.peek == closing {
                self.index += 1
                self.emit(String(open) + String(close))
                return true
            }
            self.emit(String(open))
            while true {
                self.startLine(depth: depth + 1)
                if isObject {
                    self.skipSpace()
                    guard self.peek == UInt8(ascii: "\""), self.string(isKey: true) else {
                        return false
                    }
                    self.skipSpace()
                    guard self.peek == UInt8(ascii: ":") else {
                        return false
                    }
                    self.index += 1
                    self.emit(": ")
                }
                guard self.value(depth: depth + 1) else {
                    return false
                }
                self.skipSpace()
                switch self.peek {
                case UInt8(ascii: ","):
                    self.index += 1
                    self.emit(",")
                case closing:
                    self.index += 1
                    self.startLine(depth: depth)
                    self.emit(String(close))
                    return true
                default:
                    return false
                }
            }
        }

        private mutating func string(isKey: Bool) -> Bool {
            let start = self.index
            self.index += 1
            while let byte = self.peek {
                self.index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    self.emit(String(decoding: self.bytes[start..<self.index], as: UTF8.self), isKey: isKey)
                    return true
                case UInt8(ascii: "\\"):
                    guard self.peek != nil else {
                        return false
                    }
                    self.index += 1
                case 0x00..<0x20:
                    return false
                default:
                    break
                }
            }
            return false
        }

        private mutating func literal() -> Bool {
            for word in ["true", "false", "null"] where self.bytes[self.index...].starts(with: word.utf8) {
                self.index += word.utf8.count
                self.emit(word)
                return true
            }
            return false
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        private mutating func number() -> Bool {
            let start = self.index
            if self.peek == UInt8(ascii: "-") {
                self.index += 1
            }
            if self.peek == UInt8(ascii: "0") {
                self.index += 1
            } else if !self.digits() {
                return false
            }
            if self.peek == UInt8(ascii: ".") {
                self.index += 1
                guard self.digits() else {
                    return false
                }
            }
            if self.peek == UInt8(ascii: "e") || self.peek == UInt8(ascii: "E") {
                self.index += 1
                if self.peek == UInt8(ascii: "+") || self.peek == UInt8(ascii: "-") {
                    self.index += 1
                }
                guard self.digits() else {
                    return false
                }
            }
            self.emit(String(decoding: self.bytes[start..<self.index], as: UTF8.self))
            return true
        }

        private mutating func digits() -> Bool {
            let start = self.index
            while let byte = self.peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                self.index += 1
            }
            return self.index > start
        }

        private mutating func emit(_ text: String, isKey: Bool = false) {
            self.current.pieces.append(Piece(text: text, isKey: isKey))
        }

        private mutating func startLine(depth: Int) {
            self.lines.append(self.current)
            self.current = Line(depth: depth, pieces: [])
        }
    }
}

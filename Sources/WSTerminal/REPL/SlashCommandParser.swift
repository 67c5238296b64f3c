import WSEngine

/// Reads a typed line: plain text is a message, a leading `/` starts a command, and `//` escapes a message
/// that itself starts with `/`.
enum SlashCommandParser {
    /// The most application data a ping may carry (RFC 6455 section 5.5: control frames carry at most 125 bytes).
    static let maximumPingBytes = 125
    /// The longest close reason: a Close frame's 125 bytes less the 2-byte code (RFC 6455 section 5.5.1).
    static let maximumReasonBytes = 123

    /// What `line` asks for.
    static func parse(_ line: String) -> TypedLine {
        guard let first = line.first else {
            return .nothing
        }
        guard first == "/" else {
            return .text(line)
        }
        let afterSlash = line.dropFirst()
        if afterSlash.first == "/" {
            return .text(String(afterSlash))
        }
        let name = afterSlash.prefix { !$0.isCommandSeparator }
        let arguments = afterSlash.dropFirst(name.count).drop { $0.isCommandSeparator }
        switch name {
        case "ping":
            return Self.ping(arguments)
        case "close":
            return Self.close(arguments)
        case "quit":
            return arguments.isEmpty ? .quit : .invalid("/quit takes no arguments")
        case "help":
            return arguments.isEmpty ? .help : .invalid("/help takes no arguments")
        case "json":
            return arguments.isEmpty ? .toggleJSON : .invalid("/json takes no arguments")
        case "save":
            return arguments.isEmpty ? .invalid("/save needs a file name: /save FILE") : .save(String(arguments))
        case "send":
            return Self.sendFile(arguments)
        case "binary":
            return Self.binary(arguments)
        case "status":
            return arguments.isEmpty ? .status : .invalid("/status takes no arguments")
        case "reconnect":
            return arguments.isEmpty ? .reconnect : .invalid("/reconnect takes no arguments")
        default:
            return .invalid("unknown command /\(name) (see /help; // sends a line starting with /)")
        }
    }

    /// `/send [--text] FILE`.
    private static func sendFile(_ arguments: Substring) -> TypedLine {
        let asText = arguments.hasPrefix("--text") && (arguments.count == 6 || arguments.dropFirst(6).first == " ")
        let path = (asText ? arguments.dropFirst(6) : arguments).drop { $0.isCommandSeparator }
        guard !path.isEmpty else {
            return .invalid("/send needs a file: /send FILE (binary) or /send --text FILE")
        }
        if let problem = FileMessage.problem(reading: String(path)), path != "-" {
            return .invalid("/send: cannot read '\(path)': \(problem)")
        }
        guard path != "-" else {
            return .invalid("/send: stdin is the keyboard here; give a file")
        }
        return .sendFile(String(path), asText: asText)
    }

    /// `/binary HEX…`: bytes as hex digits, spaces allowed between them.
    private static func binary(_ arguments: Substring) -> TypedLine {
        let digits = arguments.filter { !$0.isCommandSeparator }
        guard !digits.isEmpty else {
            return .invalid("/binary needs bytes as hex digits: /binary 48 65 6c 6c 6f")
        }
        guard digits.count.isMultiple(of: 2), digits.allSatisfy(\.isHexDigit) else {
            return .invalid("/binary takes hex digits in pairs, spaces allowed between bytes: /binary 0a ff 00")
        }
        var bytes: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            bytes.append(UInt8(digits[index..<next], radix: 16)!)
            index = next
        }
        return .binary(bytes)
    }

    private static func ping(_ text: Substring) -> TypedLine {
        let size = text.utf8.count
        guard size <= Self.maximumPingBytes else {
            return .invalid("/ping: the text is \(size) bytes; a ping carries at most \(Self.maximumPingBytes)")
        }
        return .ping(String(text))
    }

    private static func close(_ arguments: Substring) -> TypedLine {
        if arguments.isEmpty {
            return .close(.normalClosure, reason: "")
        }
        let word = arguments.prefix { !$0.isCommandSeparator }
        let reason = arguments.dropFirst(word.count).drop { $0.isCommandSeparator }
        guard word.allSatisfy(\.isASCIIDigit), let value = UInt16(word), (1000...4999).contains(value) else {
            return .invalid("/close: '\(word)' is not a close code; use a number from 1000 to 4999")
        }
        let code = CloseCode(value)
        guard code.isAllowedOnWire else {
            return .invalid(
                "/close: \(code) may not be sent in a Close frame; use 1000-1003, 1007-1014 or 3000-4999"
            )
        }
        let size = reason.utf8.count
        guard size <= Self.maximumReasonBytes else {
            return .invalid(
                "/close: the reason is \(size) bytes; a Close frame carries at most \(Self.maximumReasonBytes)"
            )
        }
        return .close(code, reason: String(reason))
    }
}

extension Character {
    fileprivate var isCommandSeparator: Bool {
        self == " " || self == "\t"
    }

    fileprivate var isASCIIDigit: Bool {
        self.isASCII && self.isNumber
    }
}

/// What a line typed at the REPL prompt asks for, as decided by ``SlashCommandParser``.
enum TypedLine: Equatable, Sendable {
    /// An empty line: nothing is sent (as in wscat), the prompt simply comes back.
    case nothing
    /// Send this text message.
    case text(String)
    /// `/ping [text]`: send a ping with this application data.
    case ping(String)
    /// `/close [code [reason]]`: start the closing handshake.
    case close(CloseCode, reason: String)
    /// `/quit`: close with 1000 and leave.
    case quit
    /// `/help`: show the commands.
    case help
    /// `/json`: turn the indented display of JSON messages on or off.
    case toggleJSON
    /// `/save FILE`: write the transcript so far to this file.
    case save(String)
    /// `/status`: show where the session is connected, since when, and what went each way.
    case status
    /// `/send [--text] FILE`: send the file as one message.
    case sendFile(String, asText: Bool)
    /// `/binary HEX…`: send these bytes as a binary message.
    case binary([UInt8])
    /// `/reconnect`: close the session with 1000 and open a new one.
    case reconnect
    /// A slash command that cannot be carried out; the text says why, in one line.
    case invalid(String)
}

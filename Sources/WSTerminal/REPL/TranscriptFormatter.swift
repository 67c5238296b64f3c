import NIOCore
import WSEngine

/// Turns what happens in a session into the lines a person reads in the REPL.
///
/// Every line starts with the local time (when timestamps are on) and a marker: `<` received, `>` sent,
/// `*` news about the session, `!` an error. Continuation lines (multi-line messages, lines too long for the
/// terminal, hex dump rows) are indented to where the payload starts. In `--listen` the lines about one client
/// carry its address between the time and the marker, since several clients share one transcript.
///
/// Large messages are cut (``textLimit``, ``hexDump``) with a count of what was left out; the transcript
/// `/save` writes uses a formatter that cuts nothing.
struct TranscriptFormatter: Sendable {
    /// Whether styles are written as ANSI escape sequences.
    var colors: Bool
    /// Whether lines start with `HH:MM:SS.mmm`.
    var timestamps: Bool
    /// How binary payloads are dumped; the rows are fitted to ``width``.
    var hexDump = HexDump()
    /// Whether this is the transcript of `--listen`, whose `/help` speaks of clients.
    var serving = false
    /// The terminal's width in columns, to wrap long lines under their payload's first column and fit hex
    /// dumps; `nil` never wraps.
    var width: Int?
    /// The most bytes of a text message shown; the rest is counted. `nil` shows all of it.
    var textLimit: Int? = 4096
    /// Whether text messages that are JSON objects or arrays are shown indented (`/json`).
    var prettyJSON = false

    /// The transcript as `/save` writes it: no colours, nothing cut, no wrapping.
    var uncut: TranscriptFormatter {
        var formatter = self
        formatter.colors = false
        formatter.width = nil
        formatter.textLimit = nil
        formatter.hexDump.maximumBytes = nil
        return formatter
    }

    /// A formatter with these options.
    init(colors: Bool, timestamps: Bool) {
        self.colors = colors
        self.timestamps = timestamps
    }

    /// Where payloads start: after the time, the marker and a space.
    var indent: Int {
        self.indent(peer: nil)
    }

    /// Where payloads start on lines that name `peer`.
    func indent(peer: String?) -> Int {
        (self.timestamps ? LocalTime.width + 1 : 0) + (peer.map { $0.count + 1 } ?? 0) + 2
    }

    /// The lines for an event from the peer (`peer` names it in `--listen`), or `nil` for events that show
    /// nothing (``SessionEvent/idle``). `roundTrip`: how long the pong took to answer our ping.
    func received(
        _ event: SessionEvent,
        at time: LocalTime,
        peer: String? = nil,
        roundTrip: Duration? = nil
    ) -> [UInt8]? {
        var output = self.builder()
        let indent = self.indent(peer: peer)
        switch event {
        case .text(let payload):
            self.startLine(&output, time, "<", .received, peer: peer)
            self.appendText(payload, indent: indent, to: &output)
        case .binary(let payload):
            self.startLine(&output, time, "<", .received, peer: peer)
            self.appendBinary(payload, indent: indent, to: &output)
        case .ping(let payload):
            self.startLine(&output, time, "<", .received, peer: peer)
            self.appendControl("ping", payload, indent: indent, to: &output)
        case .pong(let payload):
            self.startLine(&output, time, "<", .received, peer: peer)
            self.appendControl("pong", payload, indent: indent, to: &output)
            if let roundTrip {
                output.append(" " + Self.milliseconds(roundTrip), .detail)
            }
        case .closed(let report):
            return self.closed(report, at: time, peer: peer)
        case .idle:
            return nil
        }
        output.endLine()
        return output.bytes
    }

    /// A text message as shown: escaped; an empty one as `(empty)` and one of spaces only with every space
    /// escaped (`\x20`), so that neither looks like nothing at all; JSON indented after `/json`; past
    /// ``textLimit``, cut at a character's end with the bytes left out counted.
    private func appendText(_ payload: ByteBuffer, indent: Int, to output: inout TranscriptBuilder) {
        let bytes = payload.readableBytesView
        var shown = bytes.count
        if let limit = self.textLimit, bytes.count > limit {
            shown = limit
            // Back to the start of a UTF-8 sequence: a character is shown whole or not at all.
            while shown > 0, bytes[bytes.startIndex + shown] & 0xC0 == 0x80 {
                shown -= 1
            }
        }
        let text = String(decoding: bytes.prefix(shown), as: UTF8.self)
        if text.isEmpty {
            output.append("(empty)", .escape)
        } else if text.utf8.allSatisfy({ $0 == UInt8(ascii: " ") }) {
            output.append(String(repeating: "\\x20", count: text.utf8.count), .escape)
        } else if self.prettyJSON, shown == bytes.count, let lines = JSONPrettyPrinter.lines(of: text) {
            self.appendJSON(lines, indent: indent, to: &output)
        } else {
            output.appendUntrusted(text, indent: indent)
        }
        if shown < bytes.count {
            Self.appendOmitted(bytes.count - shown, indent: indent, to: &output)
        }
    }

    private func appendJSON(_ lines: [JSONPrettyPrinter.Line], indent: Int, to output: inout TranscriptBuilder) {
        for (number, line) in lines.enumerated() {
            if number > 0 {
                output.endLine()
                output.appendSpaces(indent + 2 * line.depth)
            }
            for piece in line.pieces {
                output.appendUntrusted(piece.text, indent: indent + 2 * line.depth, piece.isKey ? .jsonKey : nil)
            }
        }
    }

    private static func appendOmitted(_ count: Int, indent: Int, to output: inout TranscriptBuilder) {
        output.endLine()
        output.appendSpaces(indent)
        output.append("… \(count) more \(count == 1 ? "byte" : "bytes")", .detail)
    }

    /// A round trip as `0.4 ms`, `25.3 ms`, or `1.52 s` from a second on.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let microseconds = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        if microseconds < 1_000_000 {
            let tenths = (microseconds + 50) / 100
            return "\(tenths / 10).\(tenths % 10) ms"
        }
        let hundredths = (microseconds + 5_000) / 10_000
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100) s"
    }

    private func builder() -> TranscriptBuilder {
        TranscriptBuilder(colors: self.colors, width: self.width)
    }

    /// The line for something we send; in `--listen`, `recipients` says how many clients it went to.
    func sent(_ command: SessionCommand, at time: LocalTime, recipients: Int? = nil) -> [UInt8] {
        var output = self.builder()
        self.startLine(&output, time, ">", .sent)
        switch command {
        case .text(let payload):
            self.appendText(payload, indent: self.indent, to: &output)
        case .binary(let payload), .fragment(let payload, binary: true, _, _):
            self.appendBinary(payload, indent: self.indent, to: &output)
        case .fragment(let payload, binary: false, _, _):
            output.appendUntrusted(String(decoding: payload.readableBytesView, as: UTF8.self), indent: self.indent)
        case .ping(let payload):
            self.appendControl("ping", payload, indent: self.indent, to: &output)
        case .close(let code, let reason):
            output.append("close", .control)
            output.append(" \(code)")
            if !reason.isEmpty {
                output.append(" ")
                output.appendUntrusted(reason, indent: self.indent)
            }
        }
        if let recipients {
            output.append(" (to \(recipients) \(recipients == 1 ? "client" : "clients"))", .detail)
        }
        output.endLine()
        return output.bytes
    }

    /// The line that says how the session ended: who closed, the code and its name, the reason, or the
    /// protocol error the peer made. With `peer` (in `--listen`), the line is about that client.
    func closed(_ report: CloseReport, at time: LocalTime, peer: String? = nil) -> [UInt8] {
        var output = self.builder()
        let indent = self.indent(peer: peer)
        let option = report.limit.map { " (\($0.optionName))" } ?? ""
        if let violation = report.violation {
            self.startLine(&output, time, "!", .error, peer: peer)
            output.append("protocol error: ", .error)
            output.appendUntrusted(violation.description, indent: indent)
            output.append("\(option); closed with \(report.code)")
            output.endLine()
            return output.bytes
        }
        let role = peer == nil ? "server" : "client"
        self.startLine(&output, time, "*", .status, peer: peer)
        switch report.initiator {
        case .remote where report.code == .abnormalClosure:
            output.append("connection lost:", .status)
        case .remote:
            output.append("\(role) closed:", .status)
        case .local:
            output.append("closed:", .status)
        }
        output.append(" \(report.code)")
        if report.initiator == .remote, let failure = report.transportFailure {
            output.append(" \(failure)\(option)")
        } else if !report.reason.isEmpty {
            output.append(" ")
            output.appendUntrusted(report.reason, indent: indent)
        }
        if report.peerDidNotAnswer {
            if let failure = report.transportFailure {
                output.append(" (the connection failed before the \(role) answered: \(failure)\(option))")
            } else {
                output.append(" (the \(role) did not answer the close)")
            }
        }
        output.endLine()
        return output.bytes
    }

    /// A one-line error, such as a slash command that cannot be carried out.
    func error(_ message: String, at time: LocalTime) -> [UInt8] {
        var output = self.builder()
        self.startLine(&output, time, "!", .error)
        output.append(message, .error)
        output.endLine()
        return output.bytes
    }

    /// A one-line note about the session (or, with `peer`, about that client of `--listen`) that is neither
    /// a message nor an error.
    func notice(_ message: String, at time: LocalTime, peer: String? = nil) -> [UInt8] {
        var output = self.builder()
        self.startLine(&output, time, "*", .status, peer: peer)
        output.appendUntrusted(message, indent: self.indent(peer: peer))
        output.endLine()
        return output.bytes
    }

    /// The first line of a session: where it is connected, what the handshake agreed on, and how to get help
    /// and leave.
    func greeting(_ greeting: SessionGreeting, at time: LocalTime) -> [UInt8] {
        var output = self.builder()
        self.startLine(&output, time, "*", .status)
        output.append("connected to ", .status)
        output.appendUntrusted(greeting.url, indent: self.indent)
        output.append(" (")
        if greeting.handshakeProtocol == .http2 {
            output.append("HTTP/2, ")
        }
        if let subprotocol = greeting.subprotocol {
            output.append("subprotocol ")
            output.appendUntrusted(subprotocol, indent: self.indent)
            output.append(", ")
        }
        output.append(greeting.compressed ? "permessage-deflate" : "uncompressed")
        output.append("); /help for help, Ctrl-D to quit", .detail)
        output.endLine()
        return output.bytes
    }

    /// What `/help` shows.
    func help() -> [UInt8] {
        var output = self.builder()
        for line in self.serving ? Self.listenHelpLines : Self.helpLines {
            output.append(line)
            output.endLine()
        }
        return output.bytes
    }

    /// What Tab found to complete the line with, at the payload's column, as many to a row as fit.
    func choices(_ choices: [String]) -> [UInt8] {
        var output = self.builder()
        var row: [String] = []
        for choice in choices {
            let width = self.indent + (row + [choice]).joined(separator: "   ").count
            if !row.isEmpty, let limit = self.width, width > limit {
                Self.appendChoices(row, indent: self.indent, to: &output)
                row = []
            }
            row.append(choice)
        }
        Self.appendChoices(row, indent: self.indent, to: &output)
        return output.bytes
    }

    private static func appendChoices(_ row: [String], indent: Int, to output: inout TranscriptBuilder) {
        output.appendSpaces(indent)
        output.append(row.joined(separator: "   "), .detail)
        output.endLine()
    }

    /// The text of `/help`, one entry per line.
    static let helpLines =
        [
            "Type a line and press Enter to send it as a text message; an empty line sends nothing.",
            "  /ping [text]            send a ping; the pong is shown when it arrives",
            "  /close [code [reason]]  close the session (code 1000-4999, default 1000)",
            "  /quit                   close with 1000 and exit (also Ctrl-D, or Ctrl-C on an empty line)",
            "  /reconnect              close with 1000 and connect again",
        ] + Self.sharedHelpLines

    /// The text of `/help` in `--listen`, where commands act on every connected client.
    static let listenHelpLines =
        [
            "Type a line and press Enter to send it to every connected client; an empty line sends nothing.",
            "  /ping [text]            ping every client; each pong is shown when it arrives",
            "  /close [code [reason]]  close every client (code 1000-4999, default 1000); the server goes on",
            "  /quit                   close every client with 1001 and exit (also Ctrl-D, or Ctrl-C on an",
            "                          empty line)",
        ] + Self.sharedHelpLines

    private static let sharedHelpLines = [
        "  /send [--text] FILE     send a file as one binary (or, checked as UTF-8, text) message",
        "  /binary HEX...          send these bytes as a binary message: /binary 48 69 or /binary 4869",
        "  /status                 show the connection: where, how long, what was agreed, what went each way",
        "  /json                   show JSON messages indented, or as they came (a toggle)",
        "  /save FILE              write the transcript so far to FILE, every message whole",
        "  /help                   show this help",
        "  //text                  send a message that starts with /text",
        "Alt-Enter starts a new line in the message; a pasted block is inserted whole, line breaks included.",
        "Tab completes commands; Ctrl-R searches earlier lines, Up and Down recall them; Ctrl-C clears the line.",
    ]

    private func startLine(
        _ output: inout TranscriptBuilder,
        _ time: LocalTime,
        _ marker: String,
        _ style: TranscriptStyle,
        peer: String? = nil
    ) {
        if self.timestamps {
            output.append(time.text, .timestamp)
            output.append(" ")
        }
        if let peer {
            output.append(peer, .detail)
            output.append(" ")
        }
        output.append(marker, style)
        output.append(" ")
    }

    private func appendBinary(_ payload: ByteBuffer, indent: Int, to output: inout TranscriptBuilder) {
        let count = payload.readableBytes
        output.append("binary \(count) \(count == 1 ? "byte" : "bytes")", .control)
        var hexDump = self.hexDump
        if let width = self.width {
            hexDump.bytesPerRow = HexDump.bytesPerRow(fitting: width - indent)
        }
        let dump = hexDump.rows(of: payload.readableBytesView)
        for row in dump.rows {
            output.endLine()
            output.appendSpaces(indent)
            output.append(String(row.prefix(8)), .detail)
            output.append(String(row.dropFirst(8)))
        }
        if dump.omittedBytes > 0 {
            Self.appendOmitted(dump.omittedBytes, indent: indent, to: &output)
        }
    }

    /// `ping "text"` when the application data is UTF-8, `ping 0x9f3a01c2` otherwise, `ping` when empty.
    private func appendControl(
        _ name: String,
        _ payload: ByteBuffer,
        indent: Int,
        to output: inout TranscriptBuilder
    ) {
        output.append(name, .control)
        guard payload.readableBytes > 0 else {
            return
        }
        output.append(" ")
        let bytes = Array(payload.readableBytesView)
        let text = String(decoding: bytes, as: UTF8.self)
        if text.utf8.elementsEqual(bytes) {
            output.append("\"")
            output.appendUntrusted(text, indent: indent)
            output.append("\"")
        } else {
            output.append("0x" + bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
        }
    }
}

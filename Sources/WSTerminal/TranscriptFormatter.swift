import NIOCore
import WSEngine

/// Turns what happens in a session into the lines a person reads in the REPL.
///
/// Every line starts with the local time (when timestamps are on) and a marker: `<` received, `>` sent,
/// `*` news about the session, `!` an error. Continuation lines (multi-line messages, hex dump rows) are
/// indented to where the payload starts.
struct TranscriptFormatter: Sendable {
    /// Whether styles are written as ANSI escape sequences.
    var colors: Bool
    /// Whether lines start with `HH:MM:SS.mmm`.
    var timestamps: Bool
    /// How binary payloads are dumped.
    var hexDump = HexDump()

    /// A formatter with these options.
    init(colors: Bool, timestamps: Bool) {
        self.colors = colors
        self.timestamps = timestamps
    }

    /// Where payloads start: after the time, the marker and a space.
    var indent: Int {
        (self.timestamps ? LocalTime.width + 1 : 0) + 2
    }

    /// The lines for an event from the peer, or `nil` for events that show nothing (``SessionEvent/idle``).
    func received(_ event: SessionEvent, at time: LocalTime) -> [UInt8]? {
        var output = TranscriptBuilder(colors: self.colors)
        switch event {
        case .text(let payload):
            self.startLine(&output, time, "<", .received)
            output.appendUntrusted(String(buffer: payload), indent: self.indent)
        case .binary(let payload):
            self.startLine(&output, time, "<", .received)
            self.appendBinary(payload, to: &output)
        case .ping(let payload):
            self.startLine(&output, time, "<", .received)
            self.appendControl("ping", payload, to: &output)
        case .pong(let payload):
            self.startLine(&output, time, "<", .received)
            self.appendControl("pong", payload, to: &output)
        case .closed(let report):
            return self.closed(report, at: time)
        case .idle:
            return nil
        }
        output.endLine()
        return output.bytes
    }

    /// The line for something we send.
    func sent(_ command: SessionCommand, at time: LocalTime) -> [UInt8] {
        var output = TranscriptBuilder(colors: self.colors)
        self.startLine(&output, time, ">", .sent)
        switch command {
        case .text(let payload):
            output.appendUntrusted(String(buffer: payload), indent: self.indent)
        case .binary(let payload):
            self.appendBinary(payload, to: &output)
        case .ping(let payload):
            self.appendControl("ping", payload, to: &output)
        case .close(let code, let reason):
            output.append("close", .control)
            output.append(" \(code)")
            if !reason.isEmpty {
                output.append(" ")
                output.appendUntrusted(reason, indent: self.indent)
            }
        }
        output.endLine()
        return output.bytes
    }

    /// The line that says how the session ended: who closed, the code and its name, the reason, or the
    /// protocol error the peer made.
    func closed(_ report: CloseReport, at time: LocalTime) -> [UInt8] {
        var output = TranscriptBuilder(colors: self.colors)
        if let violation = report.violation {
            self.startLine(&output, time, "!", .error)
            output.append("protocol error: ", .error)
            output.appendUntrusted(violation.description, indent: self.indent)
            output.append("; closed with \(report.code)")
            output.endLine()
            return output.bytes
        }
        self.startLine(&output, time, "*", .status)
        switch report.initiator {
        case .remote where report.code == .abnormalClosure:
            output.append("connection lost:", .status)
        case .remote:
            output.append("server closed:", .status)
        case .local:
            output.append("closed:", .status)
        }
        output.append(" \(report.code)")
        if !report.reason.isEmpty {
            output.append(" ")
            output.appendUntrusted(report.reason, indent: self.indent)
        }
        if report.peerDidNotAnswer {
            output.append(" (the server did not answer the close)")
        }
        output.endLine()
        return output.bytes
    }

    /// A one-line error, such as a slash command that cannot be carried out.
    func error(_ message: String, at time: LocalTime) -> [UInt8] {
        var output = TranscriptBuilder(colors: self.colors)
        self.startLine(&output, time, "!", .error)
        output.append(message, .error)
        output.endLine()
        return output.bytes
    }

    /// A one-line note about the session that is neither a message nor an error.
    func notice(_ message: String, at time: LocalTime) -> [UInt8] {
        var output = TranscriptBuilder(colors: self.colors)
        self.startLine(&output, time, "*", .status)
        output.append(message)
        output.endLine()
        return output.bytes
    }

    /// What `/help` shows.
    func help() -> [UInt8] {
        var output = TranscriptBuilder(colors: self.colors)
        for line in Self.helpLines {
            output.append(line)
            output.endLine()
        }
        return output.bytes
    }

    /// The text of `/help`, one entry per line.
    static let helpLines = [
        "Type a line and press Enter to send it as a text message; an empty line sends nothing.",
        "  /ping [text]            send a ping; the pong is shown when it arrives",
        "  /close [code [reason]]  close the session (code 1000-4999, default 1000)",
        "  /quit                   close with 1000 and exit (also Ctrl-D, or Ctrl-C on an empty line)",
        "  /help                   show this help",
        "  //text                  send a message that starts with /text",
        "Ctrl-C clears the line being typed; Up and Down recall earlier lines.",
    ]

    private func startLine(
        _ output: inout TranscriptBuilder,
        _ time: LocalTime,
        _ marker: String,
        _ style: TranscriptStyle
    ) {
        if self.timestamps {
            output.append(time.text, .timestamp)
            output.append(" ")
        }
        output.append(marker, style)
        output.append(" ")
    }

    private func appendBinary(_ payload: ByteBuffer, to output: inout TranscriptBuilder) {
        let count = payload.readableBytes
        output.append("binary \(count) \(count == 1 ? "byte" : "bytes")", .control)
        let dump = self.hexDump.rows(of: payload.readableBytesView)
        for row in dump.rows {
            output.endLine()
            output.appendSpaces(self.indent)
            output.append(String(row.prefix(8)), .detail)
            output.append(String(row.dropFirst(8)))
        }
        if dump.omittedBytes > 0 {
            output.endLine()
            output.appendSpaces(self.indent)
            output.append("… \(dump.omittedBytes) more \(dump.omittedBytes == 1 ? "byte" : "bytes")", .detail)
        }
    }

    /// `ping "text"` when the application data is UTF-8, `ping 0x9f3a01c2` otherwise, `ping` when empty.
    private func appendControl(_ name: String, _ payload: ByteBuffer, to output: inout TranscriptBuilder) {
        output.append(name, .control)
        guard payload.readableBytes > 0 else {
            return
        }
        output.append(" ")
        let bytes = Array(payload.readableBytesView)
        let text = String(decoding: bytes, as: UTF8.self)
        if text.utf8.elementsEqual(bytes) {
            output.append("\"")
            output.appendUntrusted(text, indent: self.indent)
            output.append("\"")
        } else {
            output.append("0x" + bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
        }
    }
}

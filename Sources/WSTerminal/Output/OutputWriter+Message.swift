import NIOCore
import WSEngine

extension OutputWriter {
    /// Appends a received message as the pipe front end and `--listen` print it, in `format`. Raw: text
    /// followed by a newline, binary as raw bytes, each after a `HH:MM:SS.mmm ` prefix with `timestamp`.
    /// JSON Lines: one ``JSONLine``, with `client` and, with `timestamp`, the time. Returns whether `event`
    /// was a message; other events append nothing.
    ///
    /// To a terminal, nothing the peer chose may drive it: raw text has its control characters escaped as in
    /// the REPL (its line breaks stay), binary shows its bytes outside printable ASCII as `\xNN` and ends
    /// with a newline, and JSON Lines escapes C1 controls, DEL and bidirectional controls as `\u` escapes.
    mutating func appendMessage(
        _ event: SessionEvent,
        format: OutputFormat,
        timestamp: Bool,
        client: String? = nil
    ) -> Bool {
        let payload: ByteBuffer
        let isBinary: Bool
        switch event {
        case .text(let text):
            (payload, isBinary) = (text, false)
        case .binary(let bytes):
            (payload, isBinary) = (bytes, true)
        case .ping, .pong, .idle, .closed:
            return false
        }
        switch format {
        case .raw:
            if timestamp {
                self.append(LocalTime.now().text + " ")
            }
            if self.escapesForTerminal {
                self.append(isBinary ? Self.escapedBytes(payload) : Self.escapedText(payload))
                self.append(byte: 0x0A)
                return true
            }
            self.append(payload)
            if !isBinary {
                self.append(byte: 0x0A)
            }
        case .jsonLines:
            let time = timestamp ? UTCTimestamp.now() : nil
            let forTerminal = self.escapesForTerminal
            self.append(estimatedCount: JSONLine.estimatedCount(payload: payload.readableBytes, isBinary: isBinary)) {
                JSONLine.write(
                    payload,
                    isBinary: isBinary,
                    time: time,
                    client: client,
                    forTerminal: forTerminal,
                    to: &$0
                )
            }
        }
        return true
    }

    /// A text message for a terminal: each line escaped with the REPL's rule, the line breaks kept.
    private static func escapedText(_ payload: ByteBuffer) -> String {
        String(buffer: payload).split(separator: "\n", omittingEmptySubsequences: false).map {
            TerminalEscaping.escaped($0)
        }.joined(separator: "\n")
    }

    /// A binary message for a terminal: printable ASCII as it is, every other byte (and the backslash) as
    /// `\xNN`.
    private static func escapedBytes(_ payload: ByteBuffer) -> String {
        var text = ""
        for byte in payload.readableBytesView {
            if (0x20...0x7E).contains(byte) && byte != UInt8(ascii: "\\") {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text += "\\x" + TerminalEscaping.hex(UInt32(byte), digits: 2)
            }
        }
        return text
    }
}

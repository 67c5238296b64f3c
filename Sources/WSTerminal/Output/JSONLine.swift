import NIOCore
import WSEngine

/// A received message as one line of JSON (RFC 8259), for `--format jsonl`:
///
///     {"time":"2026-11-25T04:31:12.345Z","client":"127.0.0.1:50312","type":"text","data":"hello"}
///
/// `data` is a text message's text, or a binary message's bytes in base64. `time` is there with
/// `--timestamps`, `client` in `--listen` mode. A text message is valid UTF-8 (the session checks), so its bytes
/// are copied as they are but for the escapes JSON requires: no `String` on the way.
enum JSONLine {
    /// Appends the line for a message, with its newline.
    static func write(
        _ payload: ByteBuffer,
        isBinary: Bool,
        time: UTCTimestamp?,
        client: String?,
        forTerminal: Bool = false,
        to output: inout ByteBuffer
    ) {
        output.writeStaticString("{")
        if let time {
            var text: [UInt8] = []
            time.write(to: &text)
            output.writeStaticString("\"time\":\"")
            output.writeBytes(text)
            output.writeStaticString("\",")
        }
        if let client {
            output.writeStaticString("\"client\":")
            Self.writeString(ByteBuffer(string: client), forTerminal: forTerminal, to: &output)
            output.writeStaticString(",")
        }
        if isBinary {
            output.writeStaticString("\"type\":\"binary\",\"data\":\"")
            Base64.write(payload, to: &output)
            output.writeStaticString("\"}\n")
        } else {
            output.writeStaticString("\"type\":\"text\",\"data\":")
            Self.writeString(payload, forTerminal: forTerminal, to: &output)
            output.writeStaticString("}\n")
        }
    }

    /// About how long the line for a payload of `count` bytes is (escapes can make text longer): enough to
    /// choose between copying the line into the output batch and queueing it on its own.
    static func estimatedCount(payload count: Int, isBinary: Bool) -> Int {
        (isBinary ? (count + 2) / 3 * 4 : count) + 96
    }

    /// Appends `text` (UTF-8) as a JSON string: in quotes, with `"`, `\` and the control characters escaped;
    /// `forTerminal`, also what must not reach a terminal as it is (C1 controls, DEL, bidirectional and
    /// invisible format characters: ``TerminalEscaping``), as `\u` escapes.
    static func writeString(_ text: ByteBuffer, forTerminal: Bool = false, to output: inout ByteBuffer) {
        guard !forTerminal else {
            Self.writeStringForTerminal(String(buffer: text), to: &output)
            return
        }
        output.writeInteger(UInt8(ascii: "\""))
        text.withUnsafeReadableBytes { bytes in
            var unescapedStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
                    continue
                }
                output.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[unescapedStart..<index]))
                Self.writeEscape(for: byte, to: &output)
                unescapedStart = index + 1
            }
            output.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[unescapedStart...]))
        }
        output.writeInteger(UInt8(ascii: "\""))
    }

    private static func writeStringForTerminal(_ text: String, to output: inout ByteBuffer) {
        output.writeInteger(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar == "\"" || scalar == "\\" {
                Self.writeEscape(for: UInt8(scalar.value), to: &output)
            } else if scalar.value >= 0x7F, TerminalEscaping.replacement(for: scalar) != nil {
                output.writeString("\\u" + TerminalEscaping.hex(scalar.value, digits: 4))
            } else {
                output.writeString(String(scalar))
            }
        }
        output.writeInteger(UInt8(ascii: "\""))
    }

    /// The short escapes where JSON has one, `\u00XX` for the other control characters.
    private static func writeEscape(for byte: UInt8, to output: inout ByteBuffer) {
        switch byte {
        case UInt8(ascii: "\""): output.writeStaticString("\\\"")
        case UInt8(ascii: "\\"): output.writeStaticString("\\\\")
        case 0x0A: output.writeStaticString("\\n")
        case 0x0D: output.writeStaticString("\\r")
        case 0x09: output.writeStaticString("\\t")
        case 0x08: output.writeStaticString("\\b")
        case 0x0C: output.writeStaticString("\\f")
        default:
            let hexDigits: StaticString = "0123456789abcdef"
            output.writeStaticString("\\u00")
            output.writeInteger(hexDigits.utf8Start[Int(byte >> 4)])
            output.writeInteger(hexDigits.utf8Start[Int(byte & 0x0F)])
        }
    }
}

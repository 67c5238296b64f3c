import NIOCore
import WSEngine

#if canImport(Glibc)
    import Glibc
#endif

/// The objects `--format jsonl --events` adds to the stream of messages, one per line, in the order things
/// happened: the handshake (`open`), pings and pongs (with `-P`), the end (`close`) and every failure
/// (`error`). Each has `time` with `--timestamps`. The README's table describes every field.
public struct JSONEvents: Sendable {
    /// Whether every object starts with `time`.
    public var timestamps: Bool

    /// Events with or without times.
    public init(timestamps: Bool) {
        self.timestamps = timestamps
    }

    /// `{"type":"open","url":…,"http":"HTTP/1.1"|"HTTP/2","status":101|200,"subprotocol":…,"extensions":…,"headers":{…}}`: the response's
    /// headers, those with credentials or cookies redacted, several of one name joined with ", ".
    public func open(url: String, handshake: HandshakeInfo) -> ByteBuffer {
        var headers: [(String, JSONValue)] = []
        for field in handshake.responseHeaders {
            let value = Redaction.isSecret(headerName: field.name) ? Redaction.marker : field.value
            if let index = headers.firstIndex(where: { $0.0.lowercased() == field.name.lowercased() }),
                case .string(let earlier) = headers[index].1
            {
                headers[index].1 = .string(earlier + ", " + value)
            } else {
                headers.append((field.name, .string(value)))
            }
        }
        let extensions = handshake.responseHeaders.first { $0.name.lowercased() == "sec-websocket-extensions" }
        let status = handshake.statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        return self.object(
            "open",
            [
                ("url", .string(url)),
                ("http", .string(handshake.handshakeProtocol.description)),
                ("status", status.map(JSONValue.integer) ?? .null),
                ("subprotocol", handshake.subprotocol.map(JSONValue.string) ?? .null),
                ("extensions", extensions.map { .string($0.value) } ?? .null),
                ("headers", .object(headers)),
            ]
        )
    }

    /// `{"type":"ping"|"pong","data":…}`, with `rtt_ms` on a pong that answers a keepalive ping. The data is
    /// text when it is UTF-8, else base64 with `"binary":true`.
    func control(_ type: String, payload: ByteBuffer, roundTrip: Duration?) -> ByteBuffer {
        var fields: [(String, JSONValue)] = []
        if let text = (try? payload.getUTF8ValidatedString(at: payload.readerIndex, length: payload.readableBytes))
            ?? nil
        {
            fields.append(("data", .string(text)))
        } else {
            fields.append(("data", .string(Base64.encode(Array(payload.readableBytesView)))))
            fields.append(("binary", .bool(true)))
        }
        if let roundTrip {
            fields.append(("rtt_ms", .number(Self.milliseconds(roundTrip))))
        }
        return self.object(type, fields)
    }

    /// `{"type":"close","code":…,"reason":…,"by":"server"|"client","clean":…}`: `by` is the side that started
    /// the close (wsc is the client; in a dropped connection, the server).
    public func close(_ report: CloseReport) -> ByteBuffer {
        self.object(
            "close",
            [
                ("code", .integer(Int(report.code.rawValue))),
                ("reason", .string(report.reason)),
                ("by", .string(report.initiator == .local ? "client" : "server")),
                ("clean", .bool(report.isClean)),
            ]
        )
    }

    /// `{"type":"reconnect","attempt":N,"delay_ms":…,"reason":…}`: wsc connects again after `delay`, because
    /// of `reason` (the words the error line would have had).
    public func reconnect(attempt: Int, delay: Duration, reason: String) -> ByteBuffer {
        self.object(
            "reconnect",
            [
                ("attempt", .integer(attempt)), ("delay_ms", .number(Self.milliseconds(delay))),
                ("reason", .string(reason)),
            ]
        )
    }

    /// `{"type":"error","exit":N,"message":…}`: the same words as the `wsc: error:` line.
    public func error(exit: Int32, message: String) -> ByteBuffer {
        self.object("error", [("exit", .integer(Int(exit))), ("message", .string(message))])
    }

    /// Writes an event to stdout at once; a reader that went away is not worth more than dropping it.
    public static func write(_ line: ByteBuffer) {
        line.withUnsafeReadableBytes { try? DescriptorWriter.writeAll($0, to: STDOUT_FILENO) }
    }

    /// `duration` in milliseconds, to the microsecond.
    static func milliseconds(_ duration: Duration) -> Double {
        (duration / .microseconds(1)).rounded() / 1000
    }

    private func object(_ type: String, _ fields: [(String, JSONValue)]) -> ByteBuffer {
        var all: [(String, JSONValue)] = []
        if self.timestamps {
            var time: [UInt8] = []
            UTCTimestamp.now().write(to: &time)
            all.append(("time", .string(String(decoding: time, as: UTF8.self))))
        }
        all.append(("type", .string(type)))
        var output = ByteBuffer()
        JSONValue.object(all + fields).write(to: &output)
        output.writeStaticString("\n")
        return output
    }
}

/// A JSON value (RFC 8259), for the event objects.
enum JSONValue {
    case string(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case null
    case object([(String, JSONValue)])

    func write(to output: inout ByteBuffer) {
        switch self {
        case .string(let text):
            JSONLine.writeString(
                ByteBuffer(string: text),
                forTerminal: OutputWriter.standardOutputIsTerminal,
                to: &output
            )
        case .integer(let value):
            output.writeString(String(value))
        case .number(let value):
            output.writeString(value.isFinite ? String(value) : "null")
        case .bool(let value):
            output.writeString(value ? "true" : "false")
        case .null:
            output.writeStaticString("null")
        case .object(let fields):
            output.writeStaticString("{")
            for (index, (name, value)) in fields.enumerated() {
                if index > 0 {
                    output.writeStaticString(",")
                }
                JSONLine.writeString(
                    ByteBuffer(string: name),
                    forTerminal: OutputWriter.standardOutputIsTerminal,
                    to: &output
                )
                output.writeStaticString(":")
                value.write(to: &output)
            }
            output.writeStaticString("}")
        }
    }
}

import NIOCore
import WSEngine

extension OutputWriter {
    /// Appends a received message as the pipe front end and `--listen` print it, in `format`. Raw: text
    /// followed by a newline, binary as raw bytes, each after a `HH:MM:SS.mmm ` prefix with `timestamp`.
    /// JSON Lines: one ``JSONLine``, with `client` and, with `timestamp`, the time. Returns whether `event`
    /// was a message; other events append nothing.
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
            self.append(payload)
            if !isBinary {
                self.append(byte: 0x0A)
            }
        case .jsonLines:
            let time = timestamp ? UTCTimestamp.now() : nil
            self.append(estimatedCount: JSONLine.estimatedCount(payload: payload.readableBytes, isBinary: isBinary)) {
                JSONLine.write(payload, isBinary: isBinary, time: time, client: client, to: &$0)
            }
        }
        return true
    }
}

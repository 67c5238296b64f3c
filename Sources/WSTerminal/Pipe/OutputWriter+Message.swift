import NIOCore
import WSEngine

extension OutputWriter {
    /// Appends a received message as the pipe front end and `--listen` print it: text followed by a
    /// newline, binary as raw bytes, each after a `HH:MM:SS.mmm ` prefix with `timestamp`. Returns whether
    /// `event` was a message; other events append nothing.
    mutating func appendMessage(_ event: SessionEvent, timestamp: Bool) -> Bool {
        switch event {
        case .text(let payload):
            self.appendTimestamp(timestamp)
            self.append(payload)
            self.append(byte: 0x0A)
            return true
        case .binary(let payload):
            self.appendTimestamp(timestamp)
            self.append(payload)
            return true
        case .ping, .pong, .idle, .closed:
            return false
        }
    }

    private mutating func appendTimestamp(_ wanted: Bool) {
        if wanted {
            self.append(LocalTime.now().text + " ")
        }
    }
}

/// The roles text plays in the REPL transcript, each with its own look when colours are on.
enum TranscriptStyle: Sendable {
    /// The `HH:MM:SS.mmm` at the start of a line: dim.
    case timestamp
    /// The marker of a received message: cyan.
    case received
    /// The marker of a sent message: green.
    case sent
    /// Ping, pong and binary headings: magenta.
    case control
    /// Close lines and other news about the session: yellow.
    case status
    /// Errors: bold red.
    case error
    /// A control character shown as an escape such as `\x1b`: reverse video, so that it cannot be mistaken for
    /// the same characters typed.
    case escape
    /// Hex dump offsets and the "more bytes" note: dim.
    case detail

    /// The SGR parameters that select this style (ECMA-48 section 8.3.117).
    var selectGraphicRendition: String {
        switch self {
        case .timestamp, .detail: "2"
        case .received: "36"
        case .sent: "32"
        case .control: "35"
        case .status: "33"
        case .error: "1;31"
        case .escape: "7"
        }
    }
}

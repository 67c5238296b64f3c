/// The roles text plays in the REPL transcript, each with its own look when colours are on.
///
/// The looks read on light and dark backgrounds alike: no yellow or cyan (faint on white), no blue text (faint
/// on black) but JSON keys in bold blue, as jq shows them; our own messages in the terminal's own colour, bold.
enum TranscriptStyle: Sendable {
    /// The `HH:MM:SS.mmm` at the start of a line: dim.
    case timestamp
    /// The marker of a received message: green.
    case received
    /// The marker of a sent message: bold.
    case sent
    /// Ping, pong and binary headings: magenta.
    case control
    /// Close lines and other news about the session: bold magenta.
    case status
    /// The keys of a JSON object shown indented (`/json`): bold blue.
    case jsonKey
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
        case .received: "32"
        case .sent: "1"
        case .control: "35"
        case .status: "1;35"
        case .jsonKey: "1;34"
        case .error: "1;31"
        case .escape: "7"
        }
    }
}

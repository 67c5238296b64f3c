/// How received messages are written to stdout outside the REPL (`--format`).
public enum OutputFormat: Sendable {
    /// A text message followed by a newline, a binary message's bytes as they are: for people and for
    /// line-based tools such as `grep`.
    case raw
    /// One JSON object per message and line (``JSONLine``): for programs, binary-safe and unambiguous when
    /// a message contains a newline.
    case jsonLines
}

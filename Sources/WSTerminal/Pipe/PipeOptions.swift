/// How the pipe front end turns input into messages and messages into output.
public struct PipeOptions: Sendable {
    /// Send each input line (and `-x` message) as a binary message instead of text (`--binary`).
    public var binary: Bool
    /// Messages to send first, right after connecting, in order (`-x`, `--send-file`).
    public var commandLineMessages: [CommandLineMessage]
    /// Send files as text messages, checked to be UTF-8, instead of binary (`--text`).
    public var filesAsText: Bool
    /// Show a progress line on stderr while a large file is sent (stderr is a terminal).
    public var showsProgress: Bool
    /// Whether to read lines from standard input after the command line's messages.
    public var readsStandardInput: Bool
    /// Split standard input at NUL bytes instead of newlines (`-0`).
    public var splitsAtNUL: Bool
    /// After the last input, close once the server has sent nothing for this long (`-w`); `nil` waits until
    /// the server closes (`-w -1`).
    public var waitAfterInput: Duration?
    /// Prefix each received message with a timestamp (`--timestamps`).
    public var timestamps: Bool
    /// How received messages are written (`--format`).
    public var format: OutputFormat
    /// When the session is over before the server closes it (`--count`, `--until`, `--idle-timeout`).
    public var end: EndConditions
    /// The objects `--events` adds to JSON Lines (pings and pongs come from the front end); `nil` without.
    public var events: JSONEvents?
    /// Report pings and pongs (`-P`): as events with ``events``, else on stderr.
    public var showsPingPong: Bool

    /// Creates options; by default stdin lines are sent as text and the connection closes once the server
    /// has been quiet for a second after EOF; received messages are printed raw.
    public init(
        binary: Bool = false,
        commandLineMessages: [CommandLineMessage] = [],
        filesAsText: Bool = false,
        showsProgress: Bool = false,
        readsStandardInput: Bool = true,
        splitsAtNUL: Bool = false,
        waitAfterInput: Duration? = .seconds(1),
        timestamps: Bool = false,
        format: OutputFormat = .raw,
        end: EndConditions = EndConditions(),
        events: JSONEvents? = nil,
        showsPingPong: Bool = false
    ) {
        self.binary = binary
        self.commandLineMessages = commandLineMessages
        self.filesAsText = filesAsText
        self.showsProgress = showsProgress
        self.readsStandardInput = readsStandardInput
        self.splitsAtNUL = splitsAtNUL
        self.waitAfterInput = waitAfterInput
        self.timestamps = timestamps
        self.format = format
        self.end = end
        self.events = events
        self.showsPingPong = showsPingPong
    }
}

/// A message the command line gives, sent before (and instead of) stdin's lines.
public enum CommandLineMessage: Sendable, Equatable {
    /// `-x`: this text, sent as text (or binary with `--binary`).
    case text(String)
    /// `--send-file`: the content of the file at this path as one message; `-` is all of stdin.
    case file(String)
}

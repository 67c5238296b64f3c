/// How the pipe front end turns input into messages and messages into output.
public struct PipeOptions: Sendable {
    /// Send each input line as a binary message instead of text (`--binary`).
    public var binary: Bool
    /// Messages to send first, right after connecting (`-x`).
    public var executeMessages: [String]
    /// Whether to read lines from standard input after the `-x` messages.
    public var readsStandardInput: Bool
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
        executeMessages: [String] = [],
        readsStandardInput: Bool = true,
        waitAfterInput: Duration? = .seconds(1),
        timestamps: Bool = false,
        format: OutputFormat = .raw,
        end: EndConditions = EndConditions(),
        events: JSONEvents? = nil,
        showsPingPong: Bool = false
    ) {
        self.binary = binary
        self.executeMessages = executeMessages
        self.readsStandardInput = readsStandardInput
        self.waitAfterInput = waitAfterInput
        self.timestamps = timestamps
        self.format = format
        self.end = end
        self.events = events
        self.showsPingPong = showsPingPong
    }
}

/// How the `--listen` front end treats its clients.
public struct ListenOptions: Sendable {
    /// Echo each client's messages back to it (`--echo`) instead of printing them and broadcasting stdin.
    public var echo: Bool
    /// Send stdin lines as binary messages (`--binary`).
    public var binary: Bool
    /// Prefix printed messages with the time (`--timestamps`).
    public var timestamps: Bool
    /// How printed messages are written (`--format`).
    public var format: OutputFormat

    /// Creates options; by default messages are printed raw and stdin lines go out as text.
    public init(echo: Bool = false, binary: Bool = false, timestamps: Bool = false, format: OutputFormat = .raw) {
        self.echo = echo
        self.binary = binary
        self.timestamps = timestamps
        self.format = format
    }
}

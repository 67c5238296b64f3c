import WSEngine

/// What a line typed at the REPL prompt asks for, as decided by ``SlashCommandParser``.
enum TypedLine: Equatable, Sendable {
    /// An empty line: nothing is sent (as in wscat), the prompt simply comes back.
    case nothing
    /// Send this text message.
    case text(String)
    /// `/ping [text]`: send a ping with this application data.
    case ping(String)
    /// `/close [code [reason]]`: start the closing handshake.
    case close(CloseCode, reason: String)
    /// `/quit`: close with 1000 and leave.
    case quit
    /// `/help`: show the commands.
    case help
    /// A slash command that cannot be carried out; the text says why, in one line.
    case invalid(String)
}

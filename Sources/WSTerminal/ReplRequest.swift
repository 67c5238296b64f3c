import WSEngine

/// What the terminal thread asks of the async side, in the order the user typed it: a client sends to its
/// server, `--listen` to every connected client.
enum ReplRequest: Sendable {
    /// Send this command (in `--listen`, to every connected client).
    case send(SessionCommand)
    /// Leave: close the session with this code, or in `--listen` stop the server, which closes every client.
    case leave(CloseCode, reason: String)
}

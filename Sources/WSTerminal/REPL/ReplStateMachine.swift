import WSEngine

/// Decides what the REPL does with each thing that happens: typed lines, end of input, interrupts and
/// termination signals, and the end of the session. ``ReplTerminal`` carries the actions out.
///
/// The REPL chats until someone closes; then it stops editing and waits for the session's end, which a second
/// interrupt (or termination signal) gives up on.
///
/// In `--listen` (`serving`) the session is the server: `/close` closes the clients and the server goes on,
/// and leaving (`/quit`, Ctrl-D, Ctrl-C on an empty line) closes every client with 1001, going away, as a
/// signal does in pipe-style listening.
struct ReplStateMachine {
    /// Where the REPL stands.
    enum State: Equatable {
        /// The prompt is up and typed lines are sent.
        case chatting
        /// We asked for the close; the prompt is gone and the session's end is awaited.
        case closing
        /// Nothing more will be shown or sent.
        case finished
    }

    /// What to do.
    enum Action: Equatable {
        /// Nothing.
        case none
        /// Send a text message.
        case sendText(String)
        /// Send a ping.
        case sendPing(String)
        /// Show the `/help` text.
        case showHelp
        /// Turn the indented display of JSON messages on or off.
        case toggleJSON
        /// Write the transcript so far to this file.
        case saveTranscript(String)
        /// `/status`: show the session's state.
        case showStatus
        /// `/send`: send a file.
        case sendFile(String, asText: Bool)
        /// `/binary`: send these bytes.
        case sendBinary([UInt8])
        /// Show a one-line error.
        case showError(String)
        /// Throw away the line being typed and show an empty prompt.
        case clearLine
        /// End the reverse history search, with the line as it was before it.
        case cancelSearch
        /// Take the prompt down (restoring the terminal) and send a Close frame; in `--listen`, stop the
        /// server, which closes every client.
        case startClosing(CloseCode, reason: String)
        /// `--listen` only: close every connected client and go on serving.
        case closeClients(CloseCode, reason: String)
        /// The session is over: take the prompt down if it is up, and return its outcome.
        case finish
        /// Stop waiting for the closing handshake: the user insisted.
        case abandon
    }

    /// Where the REPL stands now.
    private(set) var state = State.chatting
    /// Whether SIGTERM or SIGHUP, or the terminal going away, asked the REPL to leave: the runner then exits
    /// as for a signal in any other mode.
    private(set) var stoppedBySignal = false
    /// Whether `/reconnect` closed the session: the runner then opens a new one.
    private(set) var reconnectRequested = false
    /// Whether the REPL runs `--listen`.
    let serving: Bool

    /// Creates a machine that is chatting: a client with its server, or (`serving`) `--listen` with its
    /// clients.
    init(serving: Bool = false) {
        self.serving = serving
    }

    /// How the user leaves: 1000 from a client; a server going away says 1001 (RFC 6455 section 7.4.1).
    private var leavingCode: CloseCode {
        self.serving ? .goingAway : .normalClosure
    }

    /// The user entered a line (a line can only be entered while chatting: the prompt is down otherwise).
    mutating func lineEntered(_ line: TypedLine) -> Action {
        switch self.state {
        case .chatting:
            break
        case .closing, .finished:
            preconditionFailure("a line was entered in state \(self.state), where the line editor is not running")
        }
        switch line {
        case .nothing:
            return .none
        case .text(let text):
            return .sendText(text)
        case .ping(let text):
            return .sendPing(text)
        case .help:
            return .showHelp
        case .toggleJSON:
            return .toggleJSON
        case .save(let path):
            return .saveTranscript(path)
        case .status:
            return .showStatus
        case .sendFile(let path, let asText):
            return .sendFile(path, asText: asText)
        case .binary(let bytes):
            return .sendBinary(bytes)
        case .reconnect where self.serving:
            return .showError("/reconnect is for a client session; --listen serves on (/close closes the clients)")
        case .reconnect:
            self.state = .closing
            self.reconnectRequested = true
            return .startClosing(.normalClosure, reason: "")
        case .invalid(let message):
            return .showError(message)
        case .close(let code, let reason) where self.serving:
            return .closeClients(code, reason: reason)
        case .close(let code, let reason):
            self.state = .closing
            return .startClosing(code, reason: reason)
        case .quit:
            self.state = .closing
            return .startClosing(self.leavingCode, reason: "")
        }
    }

    /// Ctrl-D on an empty line.
    mutating func endOfInput() -> Action {
        switch self.state {
        case .chatting:
            self.state = .closing
            return .startClosing(self.leavingCode, reason: "")
        case .closing, .finished:
            preconditionFailure("end of input in state \(self.state), where the line editor is not reading")
        }
    }

    /// The terminal went away (hung up, or reading it failed): leave with 1001 (going away), as a hang-up
    /// signal does. While closing there is nothing more to do: the closing handshake is bounded by its timeout.
    mutating func terminalLost() -> Action {
        self.stoppedBySignal = true
        switch self.state {
        case .chatting:
            self.state = .closing
            return .startClosing(.goingAway, reason: "")
        case .closing, .finished:
            return .none
        }
    }

    /// Ctrl-C (SIGINT). `lineIsEmpty` says whether anything has been typed on the prompt line, `searching`
    /// whether a reverse history search (Ctrl-R) runs: Ctrl-C then cancels the search, as in readline.
    mutating func interrupt(lineIsEmpty: Bool, searching: Bool = false) -> Action {
        switch self.state {
        case .chatting where searching:
            return .cancelSearch
        case .chatting where !lineIsEmpty:
            return .clearLine
        case .chatting:
            self.state = .closing
            return .startClosing(self.leavingCode, reason: "")
        case .closing:
            self.state = .finished
            return .abandon
        case .finished:
            return .none
        }
    }

    /// SIGTERM or SIGHUP: leave politely with 1001 (going away); a second one stops waiting.
    mutating func terminationRequested() -> Action {
        self.stoppedBySignal = true
        switch self.state {
        case .chatting:
            self.state = .closing
            return .startClosing(.goingAway, reason: "")
        case .closing:
            self.state = .finished
            return .abandon
        case .finished:
            return .none
        }
    }

    /// The session reported its end (its closed event, the end of its events, or an error).
    mutating func sessionEnded() -> Action {
        switch self.state {
        case .chatting, .closing:
            self.state = .finished
            return .finish
        case .finished:
            return .none
        }
    }
}

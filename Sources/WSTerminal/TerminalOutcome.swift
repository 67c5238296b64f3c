import WSEngine

/// How the terminal thread ended.
enum TerminalOutcome: Sendable {
    /// The session closed; its report was shown. `stoppedBySignal`: SIGTERM or SIGHUP, or the terminal going
    /// away, started the close.
    case closed(CloseReport, stoppedBySignal: Bool)
    /// The session's events ended without a closed event.
    case eventsEnded
    /// The session's events failed with this error.
    case eventsFailed(any Error)
    /// The user stopped waiting for the closing handshake, or the front end's task was cancelled.
    case abandoned
    /// The terminal could not be set up.
    case setupFailed(any Error)
}

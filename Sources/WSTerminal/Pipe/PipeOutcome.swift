import WSEngine

/// How a pipe session ended.
public struct PipeOutcome: Sendable {
    /// The session's end, if it got that far.
    public var close: CloseReport?
    /// Input that could not be sent; the session was closed because of it.
    public var inputError: InputError?
    /// The reader of stdout went away, so wsc stopped early.
    public var outputClosed: Bool
}

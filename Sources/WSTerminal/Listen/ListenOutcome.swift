/// How a `--listen` run ended, besides a signal.
public struct ListenOutcome: Sendable {
    /// A stdin line could not be sent; wsc stopped serving because of it.
    public var inputError: InputError?
    /// The reader of stdout went away, so wsc stopped serving.
    public var outputClosed: Bool
}

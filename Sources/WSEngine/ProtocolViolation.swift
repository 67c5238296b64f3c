/// A rule of RFC 6455 that the peer broke, and the close code it earns.
public struct ProtocolViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// The code we close the connection with.
    public let closeCode: CloseCode
    /// What the peer did, in words a user understands.
    public let description: String

    /// Creates a violation answered with `closeCode`.
    public init(closeCode: CloseCode, _ description: String) {
        self.closeCode = closeCode
        self.description = description
    }
}

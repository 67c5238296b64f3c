/// Input that cannot be sent as asked, such as a line that is not UTF-8 in text mode.
public struct InputError: Error, Sendable, CustomStringConvertible {
    /// What is wrong with the input and what to do instead.
    public let description: String

    /// A line that is not valid UTF-8 cannot be a text message (RFC 6455 section 5.6).
    static func invalidUTF8(line: Int) -> Self {
        Self(description: "stdin line \(line) is not valid UTF-8; use --binary to send binary data")
    }
}

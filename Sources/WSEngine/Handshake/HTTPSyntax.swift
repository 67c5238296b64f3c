/// Which characters HTTP/1.1 lets the parts of a request carry that wsc builds from what the user typed: the
/// request target (RFC 9112 section 3.2, RFC 3986 section 3.3), field names and other tokens (RFC 9110 section
/// 5.6.2), and field values (RFC 9110 section 5.5). A line break in any of them would end the line early and let
/// the rest pass for another header or request, so each is checked here before anything is sent.
public enum HTTPSyntax {
    /// Whether `scalar` is a `tchar`, a character of a token such as a field name or a subprotocol.
    public static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        case "!", "#", "$", "%", "&", "'", "*", "+", "-", ".", "^", "_", "`", "|", "~": true
        default: false
        }
    }

    /// The first character of `text` that a token may not contain, or `nil` when there is none.
    public static func firstNonTokenCharacter(in text: some StringProtocol) -> Unicode.Scalar? {
        text.unicodeScalars.first { !Self.isTokenCharacter($0) }
    }

    /// The first character a field value may not carry: a control character other than horizontal tab (CR and
    /// LF among them) or DEL. Other non-ASCII text passes, as the `obs-text` of its UTF-8 bytes.
    public static func firstForbiddenValueCharacter(in value: some StringProtocol) -> Unicode.Scalar? {
        value.unicodeScalars.first { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }
    }

    /// Whether `value` starts or ends with white space, which a field value may not (RFC 9110 section 5.5).
    public static func hasSurroundingWhitespace(_ value: some StringProtocol) -> Bool {
        let whitespace: Set<Character> = [" ", "\t"]
        return value.first.map(whitespace.contains) == true || value.last.map(whitespace.contains) == true
    }

    /// The first character of a request target (path and query) that must be percent-encoded before it can be
    /// sent: a control character, space or DEL.
    public static func firstForbiddenTargetCharacter(in target: some StringProtocol) -> Unicode.Scalar? {
        target.unicodeScalars.first { $0.value <= 0x20 || $0.value == 0x7F }
    }

    /// The first character Basic credentials may not contain: a control character (RFC 7617 section 2).
    public static func firstForbiddenCredentialCharacter(in text: some StringProtocol) -> Unicode.Scalar? {
        text.unicodeScalars.first { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }
}

/// How wsc hides secrets in what it prints: the one marker and the one rule for URLs, so that the headers of a
/// verbose report, error messages and redirects all hide the same things the same way.
public enum Redaction {
    /// What stands in for a secret.
    public static let marker = "[redacted]"

    /// `text`, a URL as typed (perhaps malformed, perhaps without a scheme), with the password of its user
    /// information replaced by ``marker``: `ws://ann:[redacted]@host:99999/`. A user name stays, to say whose.
    public static func redactingPassword(inURL text: String) -> String {
        let authorityStart = text.firstRange(of: "://")?.upperBound ?? text.startIndex
        let afterScheme = text[authorityStart...]
        let authority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else {
            return text
        }
        return String(text[...colon]) + Self.marker + String(text[at...])
    }

    /// Whether a header of this name carries credentials or a session: its value is never shown.
    public static func isSecret(headerName name: String) -> Bool {
        ["authorization", "proxy-authorization", "cookie", "set-cookie"].contains(name.lowercased())
    }
}

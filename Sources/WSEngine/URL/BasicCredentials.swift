/// A user name and password for HTTP Basic authentication (RFC 7617).
public struct BasicCredentials: Sendable, Equatable {
    /// The user name; it may not contain a colon.
    public var user: String
    /// The password; it may contain colons.
    public var password: String

    /// Creates credentials.
    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    /// Splits `user:password` at the first colon; `nil` when there is no colon.
    public init?(userColonPassword: String) {
        guard let colon = userColonPassword.firstIndex(of: ":") else { return nil }
        self.user = String(userColonPassword[..<colon])
        self.password = String(userColonPassword[userColonPassword.index(after: colon)...])
    }

    /// The value of the `Authorization` header: `Basic` and the base64 of `user:password` in UTF-8.
    public var authorizationValue: String {
        "Basic " + Base64.encode(Array("\(self.user):\(self.password)".utf8))
    }
}

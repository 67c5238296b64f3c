/// A parsed `ws://` or `wss://` URL (RFC 6455 section 3).
///
/// Written by hand rather than with Foundation's `URL` because the rules are few and wsc-specific: a missing
/// scheme means `ws://` (as in wscat), the user information becomes Basic credentials, and a fragment is
/// refused because the RFC forbids it.
public struct WebSocketURL: Sendable, Equatable, CustomStringConvertible {
    /// Whether the connection uses TLS (`wss://`).
    public var isSecure: Bool
    /// The host name or IP address, without the brackets of an IPv6 literal.
    public var host: String
    /// The TCP port: explicit, or 80 for `ws://` and 443 for `wss://`.
    public var port: Int
    /// The request target: path and query, never empty (`/` when the URL has no path).
    public var requestTarget: String
    /// Credentials given as `user:password@` before the host, percent-decoded.
    public var credentials: BasicCredentials?

    /// Whether the host is an IPv6 literal, which the `Host` header and display put in brackets.
    public var isIPv6Literal: Bool { self.host.contains(":") }

    /// The port the scheme implies when the URL names none.
    public var defaultPort: Int { self.isSecure ? 443 : 80 }

    /// The value of the `Host` header: the host, and the port unless it is the scheme's default.
    public var hostHeader: String {
        let host = self.isIPv6Literal ? "[\(self.host)]" : self.host
        return self.port == self.defaultPort ? host : "\(host):\(self.port)"
    }

    /// The URL as wsc shows it: scheme, host, port if not the default, target; never the password.
    public var description: String {
        "\(self.isSecure ? "wss" : "ws")://\(self.hostHeader)\(self.requestTarget)"
    }

    /// Parses `text`; throws ``WebSocketURLError`` with a message fit for the user.
    public init(parsing text: String) throws(WebSocketURLError) {
        var rest = Substring(text)
        if let schemeEnd = rest.firstRange(of: "://") {
            switch rest[..<schemeEnd.lowerBound].lowercased() {
            case "ws": self.isSecure = false
            case "wss": self.isSecure = true
            case let other: throw WebSocketURLError("unsupported scheme '\(other)' in '\(text)': use ws:// or wss://")
            }
            rest = rest[schemeEnd.upperBound...]
        } else {
            self.isSecure = false
        }
        if rest.contains("#") {
            throw WebSocketURLError("'\(text)' has a fragment (#...), which WebSocket URLs may not carry")
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let target = rest[authorityEnd...]
        self.requestTarget = target.first == "?" ? "/" + target : (target.isEmpty ? "/" : String(target))

        self.credentials = nil
        if let at = authority.lastIndex(of: "@") {
            let userInfo = try Self.percentDecoded(authority[..<at], in: text)
            self.credentials =
                BasicCredentials(userColonPassword: userInfo) ?? BasicCredentials(user: userInfo, password: "")
            authority = authority[authority.index(after: at)...]
        }

        let portText: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else {
                throw WebSocketURLError("'\(text)' has an IPv6 address without its closing ']'")
            }
            self.host = String(authority[authority.index(after: authority.startIndex)..<close])
            let afterBracket = authority[authority.index(after: close)...]
            if afterBracket.isEmpty {
                portText = nil
            } else if afterBracket.first == ":" {
                portText = afterBracket.dropFirst()
            } else {
                throw WebSocketURLError("'\(text)' has text after the IPv6 address that is not a port")
            }
            guard self.host.contains(":") else {
                throw WebSocketURLError("'\(text)' has brackets around something that is not an IPv6 address")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            self.host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            self.host = String(authority)
            portText = nil
        }
        guard !self.host.isEmpty else {
            throw WebSocketURLError("'\(text)' names no host: try ws://localhost:8080/")
        }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw WebSocketURLError("'\(text)' has an invalid port '\(portText)': use a number from 1 to 65535")
            }
            self.port = port
        } else {
            self.port = self.isSecure ? 443 : 80
        }
        if let bad = self.host.unicodeScalars.first(where: { $0.value <= 0x20 || $0 == "/" || $0 == "\\" }) {
            throw WebSocketURLError(
                "'\(text)' has a character that is not allowed in a host name: '\(bad.escaped(asASCII: true))'"
            )
        }
        if let bad = self.requestTarget.unicodeScalars.first(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
            throw WebSocketURLError(
                "'\(text)' has a character that must be percent-encoded in the path: '\(bad.escaped(asASCII: true))'"
            )
        }
    }

    private static func percentDecoded(_ text: Substring, in url: String) throws(WebSocketURLError) -> String {
        var bytes = [UInt8]()
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue)
            else {
                throw WebSocketURLError("'\(url)' has a broken percent escape in its user name or password")
            }
            bytes.append(high << 4 | low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// A URL wsc cannot connect to, with the reason in words for the user.
public struct WebSocketURLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong and how to write it instead.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The one rule for the dots of a host name, for the URL's host and for the TLS server name that can stand in for
/// it (`TLSConfiguration.serverName`).
public enum HostName {
    /// Why `name` cannot be a host name, or `nil` when its dots are in order: labels separated by single dots
    /// (RFC 1034 section 3.1), none empty, and at most one trailing dot for the root. An empty label is no
    /// name at all, and a leading dot is worse than that: OpenSSL's host check reads `.test` as "any name
    /// under test" (`X509_check_host(3)`). IPv6 literals, the only hosts with a colon, are not names.
    public static func problem(in name: String) -> String? {
        guard !name.contains(":") else {
            return nil
        }
        let withoutRoot = name.hasSuffix(".") ? name.dropLast() : Substring(name)
        if withoutRoot.isEmpty {
            return "'\(name)' has no label"
        }
        if withoutRoot.hasPrefix(".") {
            return "'\(name)' starts with a dot"
        }
        if withoutRoot.hasSuffix(".") || withoutRoot.contains("..") {
            return "'\(name)' has an empty label (two dots in a row)"
        }
        return nil
    }
}

/// The authority part of a URL (RFC 3986 section 3.2): `[user[:password]@]host[:port]`, with an IPv6 host in
/// brackets. Shared by the server's URL and the proxy's, which differ only in their schemes and defaults.
struct URLAuthority {
    /// The host name or IP address, without the brackets of an IPv6 literal; never empty.
    var host: String
    /// The port, when the authority names one (1 to 65535).
    var port: Int?
    /// Credentials given as `user:password@` before the host, percent-decoded.
    var credentials: BasicCredentials?

    /// `host` as an authority writes it: an IPv6 literal (the only host with a colon) in brackets.
    static func bracketed(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }

    /// Parses `authority`, a part of `url`, which error messages quote (the caller has redacted its password);
    /// `example` shows a URL that works.
    init(parsing authority: Substring, in url: String, example: String) throws(WebSocketURLError) {
        var authority = authority
        self.credentials = nil
        if let at = authority.lastIndex(of: "@") {
            let userInfo = try Self.percentDecoded(authority[..<at], in: url)
            self.credentials =
                BasicCredentials(userColonPassword: userInfo) ?? BasicCredentials(user: userInfo, password: "")
            authority = authority[authority.index(after: at)...]
        }

        let portText: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else {
                throw WebSocketURLError("'\(url)' has an IPv6 address without its closing ']'")
            }
            self.host = String(authority[authority.index(after: authority.startIndex)..<close])
            let afterBracket = authority[authority.index(after: close)...]
            if afterBracket.isEmpty {
                portText = nil
            } else if afterBracket.first == ":" {
                portText = afterBracket.dropFirst()
            } else {
                throw WebSocketURLError("'\(url)' has text after the IPv6 address that is not a port")
            }
            guard self.host.contains(":") else {
                throw WebSocketURLError("'\(url)' has brackets around something that is not an IPv6 address")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            self.host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            self.host = String(authority)
            portText = nil
        }
        guard !self.host.isEmpty else {
            throw WebSocketURLError("'\(url)' names no host: try \(example)")
        }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw WebSocketURLError("'\(url)' has an invalid port '\(portText)': use a number from 1 to 65535")
            }
            self.port = port
        } else {
            self.port = nil
        }
        // The host goes into the Host header and a proxy's CONNECT line: no controls, space or DEL.
        let forbidden = HTTPSyntax.firstForbiddenTargetCharacter(in: self.host)
        if let bad = forbidden ?? self.host.unicodeScalars.first(where: { $0 == "/" || $0 == "\\" }) {
            throw WebSocketURLError(
                "'\(url)' has a character that is not allowed in a host name: '\(bad.escaped(asASCII: true))'"
            )
        }
        if let problem = HostName.problem(in: self.host) {
            throw WebSocketURLError("'\(url)' has an invalid host name: \(problem)")
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

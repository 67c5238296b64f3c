#if canImport(Glibc)
    import Glibc
#endif

/// The hosts reached directly rather than through a proxy: a `no_proxy` list as curl reads it.
///
/// Entries are separated by commas (spaces around them are ignored). Each one is
/// - `*`: every host;
/// - a host name, with or without a leading dot: that host and every name under it, whatever the case
///   (`example.com` and `.example.com` both match `example.com` and `api.example.com`, not `badexample.com`);
/// - an IP address, IPv6 with or without brackets: that address;
/// - a CIDR range (`10.0.0.0/8`, `fd00::/8`): every address in it;
///
/// and a name or an address may end in `:port` (an IPv6 address in brackets then: `[::1]:8080`), which
/// limits the entry to that port. An entry that is none of these matches nothing, as in curl.
public struct NoProxyList: Sendable, Equatable {
    /// What one entry matches.
    private enum Pattern: Sendable, Equatable {
        case everything
        /// A host name and the names under it: lower case, without leading or trailing dots.
        case domain(String)
        /// The addresses whose first `prefix` bits are those of `bytes` (4 bytes for IPv4, 16 for IPv6).
        case network(bytes: [UInt8], prefix: Int)
    }

    private struct Entry: Sendable, Equatable {
        var pattern: Pattern
        /// The only port the entry matches, or `nil` for every port.
        var port: Int?
    }

    private var entries: [Entry]

    /// The hosts that are never worth a proxy: this machine by name and by its loopback addresses.
    public static let loopback = NoProxyList(parsing: "localhost,127.0.0.0/8,::1")

    /// Reads a comma-separated list.
    public init(parsing text: String) {
        self.entries = text.split(separator: ",").compactMap { Self.entry($0.trimmingSpaces) }
    }

    /// Whether a connection to `host` (a name, or an IP address without brackets) and `port` goes direct.
    public func matches(host: String, port: Int) -> Bool {
        var name = host.lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        let address = Self.addressBytes(name)
        return self.entries.contains { entry in
            guard entry.port == nil || entry.port == port else { return false }
            switch entry.pattern {
            case .everything:
                return true
            case .domain(let domain):
                return address == nil && (name == domain || name.hasSuffix("." + domain))
            case .network(let bytes, let prefix):
                guard let address, address.count == bytes.count else { return false }
                return Self.leadingBitsEqual(address, bytes, count: prefix)
            }
        }
    }

    private static func entry(_ text: Substring) -> Entry? {
        if text == "*" {
            return Entry(pattern: .everything)
        }
        if let slash = text.firstIndex(of: "/") {
            // A CIDR range: an address, a slash, the prefix length; no port.
            guard let bytes = self.addressBytes(text[..<slash].unbracketed),
                let prefix = Int(text[text.index(after: slash)...]), (0...bytes.count * 8).contains(prefix)
            else { return nil }
            return Entry(pattern: .network(bytes: bytes, prefix: prefix))
        }
        var host = text
        var port: Int?
        let colons = text.count { $0 == ":" }
        if let close = text.lastIndex(of: "]"), text.first == "[" {
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.first == ":", let number = Self.port(rest.dropFirst()) else { return nil }
                port = number
            }
        } else if colons == 1, let colon = text.firstIndex(of: ":") {
            // One colon: a name or an IPv4 address with a port. More: an IPv6 address, whose port needs brackets.
            guard let number = Self.port(text[text.index(after: colon)...]) else { return nil }
            host = text[..<colon]
            port = number
        }
        if let bytes = self.addressBytes(String(host)) {
            return Entry(pattern: .network(bytes: bytes, prefix: bytes.count * 8), port: port)
        }
        var domain = host.lowercased()[...]
        while domain.hasPrefix(".") { domain = domain.dropFirst() }
        while domain.hasSuffix(".") { domain = domain.dropLast() }
        guard !domain.isEmpty, !domain.contains(where: { $0 == ":" || $0 == "[" || $0 == "]" || $0 == " " }) else {
            return nil
        }
        return Entry(pattern: .domain(String(domain)), port: port)
    }

    /// A port of 1 to 65535, in digits only.
    private static func port(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.allSatisfy(\.isASCIIDigit), let port = Int(text), (1...65535).contains(port) else {
            return nil
        }
        return port
    }

    /// The bytes of an IPv4 or IPv6 address, or `nil` for anything else (a host name).
    private static func addressBytes(_ text: String) -> [UInt8]? {
        SOCKS5Negotiation.addressBytes(text, family: AF_INET, count: 4)
            ?? SOCKS5Negotiation.addressBytes(text, family: AF_INET6, count: 16)
    }

    private static func leadingBitsEqual(_ a: [UInt8], _ b: [UInt8], count: Int) -> Bool {
        for index in 0..<(count + 7) / 8 {
            let bits = min(8, count - index * 8)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if a[index] & mask != b[index] & mask {
                return false
            }
        }
        return true
    }
}

extension Substring {
    /// Without the spaces and tabs around it.
    fileprivate var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = self.firstIndex(where: { !isSpace($0) }), let last = self.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return self[first...last]
    }

    /// Without the brackets around an IPv6 address.
    fileprivate var unbracketed: String {
        self.first == "[" && self.last == "]" ? String(self.dropFirst().dropLast()) : String(self)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool {
        ("0"..."9").contains(self)
    }
}

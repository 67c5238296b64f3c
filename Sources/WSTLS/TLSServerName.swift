import NIOCore

/// The name a connection is made to, as TLS must treat it: a DNS name is sent in SNI and matched against the
/// certificate's DNS names; an IP address is never sent in SNI (RFC 6066 section 3 forbids literal addresses)
/// and is matched against the certificate's IP address entries.
enum TLSServerName: Equatable {
    /// A DNS host name, without a trailing dot.
    case dnsName(String)
    /// An IPv4 or IPv6 address in its textual form, without brackets.
    case ipAddress(String)

    /// Classifies a URL host; IPv6 literals may come with or without their URL brackets.
    init(host: String) {
        var name = Substring(host)
        if name.hasPrefix("["), name.hasSuffix("]") {
            name = name.dropFirst().dropLast()
        }
        if (try? SocketAddress(ipAddress: String(name), port: 0)) != nil {
            self = .ipAddress(String(name))
            return
        }
        // "example.com." is the same host, but SNI and certificate names are written without the root dot.
        if name.hasSuffix(".") {
            name = name.dropLast()
        }
        self = .dnsName(String(name))
    }

    /// The name as written in messages.
    var text: String {
        switch self {
        case .dnsName(let name): name
        case .ipAddress(let address): address
        }
    }
}

import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// A tunnel through a SOCKS5 proxy (RFC 1928): no authentication, or a user name and password (RFC 1929)
/// when the proxy's URL has them; then `CONNECT` to the server, named by its IP address or by its host name
/// for the proxy to resolve.
///
/// Written here rather than taken from NIOSOCKS, whose client offers no authentication, and many SOCKS5
/// proxies (the paid ones, Tor's stream isolation) want a login.
struct SOCKS5Negotiation: ProxyNegotiation {
    private enum Stage {
        case methodSelection
        case authentication
        case connectReply
    }

    private enum Method {
        static let noAuthentication: UInt8 = 0x00
        static let userPassword: UInt8 = 0x02
        static let noneAcceptable: UInt8 = 0xFF
    }

    private let proxy: ProxyConfiguration
    private let server: WebSocketURL
    private var stage = Stage.methodSelection

    /// A negotiation that asks `proxy` to connect to `server`'s host and port.
    init(proxy: ProxyConfiguration, server: WebSocketURL) {
        self.proxy = proxy
        self.server = server
    }

    /// The greeting: version 5 and the methods offered, user name and password only when there are some.
    func start() -> ByteBuffer {
        let methods =
            self.proxy.credentials == nil ? [Method.noAuthentication] : [Method.noAuthentication, Method.userPassword]
        return ByteBuffer(bytes: [5, UInt8(methods.count)] + methods)
    }

    mutating func received(_ answer: inout ByteBuffer) -> ProxyNegotiationStep {
        switch self.stage {
        case .methodSelection:
            guard let reply = answer.readBytes(length: 2) else {
                return .needMoreBytes
            }
            guard reply[0] == 5 else {
                return .failed(.notSOCKS(proxy: self.proxy))
            }
            switch reply[1] {
            case Method.noAuthentication:
                return self.connect()
            case Method.userPassword where self.proxy.credentials != nil:
                self.stage = .authentication
                return .send(self.login())
            case Method.noneAcceptable:
                return .failed(
                    self.proxy.credentials == nil
                        ? .socksAuthenticationRequired(proxy: self.proxy)
                        : .socksNoAcceptableMethod(proxy: self.proxy)
                )
            default:
                return .failed(.notSOCKS(proxy: self.proxy))
            }
        case .authentication:
            // RFC 1929 section 2: version 1, then status 0 for success.
            guard let reply = answer.readBytes(length: 2) else {
                return .needMoreBytes
            }
            guard reply[0] == 1 else {
                return .failed(.notSOCKS(proxy: self.proxy))
            }
            guard reply[1] == 0 else {
                return .failed(.socksCredentialsRefused(proxy: self.proxy))
            }
            return self.connect()
        case .connectReply:
            return self.connectReply(&answer)
        }
    }

    var closedEarly: ProxyError {
        .socksClosedEarly(proxy: self.proxy)
    }

    /// RFC 1929's request: version 1, then the user name and the password, each after its length.
    private func login() -> ByteBuffer {
        let user = Array(self.proxy.credentials?.user.utf8 ?? "".utf8)
        let password = Array(self.proxy.credentials?.password.utf8 ?? "".utf8)
        return ByteBuffer(bytes: [1, UInt8(user.count)] + user + [UInt8(password.count)] + password)
    }

    /// `CONNECT` (RFC 1928 section 4): the server as an IPv4 address (type 1), an IPv6 address (type 4) or a
    /// host name (type 3), then the port.
    private mutating func connect() -> ProxyNegotiationStep {
        var request = ByteBuffer(bytes: [5, 1, 0])
        let host = self.server.host
        if let address = Self.addressBytes(host, family: AF_INET, count: 4) {
            request.writeBytes([1] + address)
        } else if let address = Self.addressBytes(host, family: AF_INET6, count: 16) {
            request.writeBytes([4] + address)
        } else {
            let name = Array(host.utf8)
            guard name.count <= 255 else {
                return .failed(
                    .socksFailed(proxy: self.proxy, target: self.server.hostAndPort, reason: "host name too long")
                )
            }
            request.writeBytes([3, UInt8(name.count)] + name)
        }
        request.writeInteger(UInt16(self.server.port))
        self.stage = .connectReply
        return .send(request)
    }

    /// The reply to `CONNECT`: version, reply code, a reserved byte, then the address the proxy bound (of a
    /// length its type gives) and its port, all read before the server's first bytes.
    private func connectReply(_ answer: inout ByteBuffer) -> ProxyNegotiationStep {
        let start = answer.readerIndex
        guard let head = answer.getBytes(at: start, length: 5) else {
            return .needMoreBytes
        }
        let addressLength: Int
        switch head[3] {
        case 1: addressLength = 4
        case 4: addressLength = 16
        case 3: addressLength = 1 + Int(head[4])
        default: return .failed(.notSOCKS(proxy: self.proxy))
        }
        let replyLength = 4 + addressLength + 2
        guard head[0] == 5 else {
            return .failed(.notSOCKS(proxy: self.proxy))
        }
        guard answer.readableBytes >= replyLength else {
            return .needMoreBytes
        }
        answer.moveReaderIndex(forwardBy: replyLength)
        guard head[1] == 0 else {
            return .failed(
                .socksFailed(proxy: self.proxy, target: self.server.hostAndPort, reason: Self.words(for: head[1]))
            )
        }
        return .established
    }

    /// The `count` bytes of `text` as an address of `family`, or `nil` if it is not one; ``NoProxyList`` reads
    /// its addresses with it too.
    static func addressBytes(_ text: String, family: Int32, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        return inet_pton(family, text, &bytes) == 1 ? bytes : nil
    }

    /// RFC 1928 section 6's names for the reply codes.
    private static func words(for reply: UInt8) -> String {
        switch reply {
        case 1: "general SOCKS server failure"
        case 2: "connection not allowed by its rules"
        case 3: "network unreachable"
        case 4: "host unreachable"
        case 5: "connection refused"
        case 6: "TTL expired"
        case 7: "command not supported"
        case 8: "address type not supported"
        default: "reply \(reply)"
        }
    }
}

import NIOCore
import NIOHTTP1
import NIOPosix
import WSTLS

#if canImport(Glibc)
    import Glibc
#endif

/// Turns the errors NIO reports while connecting into one line a user can act on.
enum ConnectErrorTranslation {
    /// Socket errors are about what wsc connected to: the proxy if there is one, else the Unix socket if there
    /// is one, else the server's host and port.
    static func translate(_ error: any Error, configuration: ClientConfiguration) -> WebSocketClientError {
        let url = configuration.url
        let proxy = configuration.proxy
        let timeout = configuration.connectTimeout
        let target =
            proxy.map { "the proxy \($0)" } ?? configuration.unixSocket.map { "the socket \($0)" } ?? url.hostAndPort
        switch error {
        case let error as NIOConnectionError:
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                let host = proxy.map { "the proxy's host '\($0.host)'" } ?? "host '\(url.host)'"
                return .connectionFailed(
                    "could not resolve \(host): check the name or your DNS settings",
                    socketFailure: .nameNotResolved
                )
            }
            if let first = error.connectionErrors.first?.error {
                return Self.translate(first, configuration: configuration)
            }
            return .connectionFailed("could not connect to \(target)", socketFailure: .other)
        case let error as IOError where error.errnoCode == ECONNREFUSED:
            let question = proxy == nil ? "is a WebSocket server listening there?" : "is the proxy running?"
            return .connectionFailed("connection refused by \(target): \(question)", socketFailure: .refused)
        case let error as IOError:
            return .connectionFailed(
                "could not connect to \(target): \(Self.systemMessage(error.errnoCode))",
                socketFailure: .other
            )
        case ChannelError.connectTimeout:
            return .connectionFailed("timed out after \(timeout) connecting to \(target)", limit: .connectTimeout)
        case let error as TLSError:
            return .tls(error)
        default:
            return .handshakeRejected("server closed the connection during the opening handshake")
        }
    }

    /// `strerror(3)`'s text for `code`, such as "Connection reset by peer".
    static func systemMessage(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// Words an error the channel reported before it closed, for the line that ends the session: a reset is
/// worth telling apart from a quiet hang-up, and a TLS failure from both.
enum TransportFailure {
    /// A TLS error as TLS words it, a socket error by its `strerror(3)` text ("connection reset by peer"),
    /// anything else as it describes itself.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let tlsError as TLSError:
            tlsError.description
        case let ioError as IOError:
            ConnectErrorTranslation.systemMessage(ioError.errnoCode).lowercased()
        default:
            String(describing: error)
        }
    }
}

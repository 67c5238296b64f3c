import NIOCore
import WSTLS

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

import NIOHTTP2

/// The connection-level steps before a WebSocket runs on an HTTP/2 stream (RFC 8441 section 3): over TLS,
/// ALPN must have selected `h2`; then the server's first SETTINGS must carry
/// `SETTINGS_ENABLE_CONNECT_PROTOCOL = 1` before the extended CONNECT may be sent. A GOAWAY or the end of the
/// connection before the stream is open fails the opening.
struct HTTP2OpeningStateMachine {
    enum State: Equatable {
        /// Over TLS: the handshake (and with it ALPN) is not over yet.
        case awaitingTLS
        /// The server's SETTINGS have not arrived.
        case awaitingSettings
        /// The extended CONNECT is under way on its stream.
        case openingStream
        /// The stream carries the session; the connection's frames no longer concern the opening.
        case open
        /// The opening failed; nothing more is done.
        case failed
    }

    /// What the connection's handler does next.
    enum Action: Equatable {
        case none
        /// Open the stream and send the extended CONNECT.
        case openStream
        /// Fail the opening with this reason and close the connection.
        case fail(HTTP2Failure)
    }

    private(set) var state: State

    /// `secure`: whether TLS (and so ALPN) comes first.
    init(secure: Bool) {
        self.state = secure ? .awaitingTLS : .awaitingSettings
    }

    /// The TLS handshake completed, with ALPN's choice.
    mutating func tlsCompleted(applicationProtocol: String?) -> Action {
        switch self.state {
        case .awaitingTLS:
            guard applicationProtocol == "h2" else {
                self.state = .failed
                return .fail(.applicationProtocol(selected: applicationProtocol))
            }
            self.state = .awaitingSettings
            return .none
        case .awaitingSettings, .openingStream, .open, .failed:
            return .none
        }
    }

    /// A SETTINGS frame (not an acknowledgement) arrived. Only the first one decides.
    mutating func settingsReceived(_ settings: HTTP2Settings) -> Action {
        switch self.state {
        case .awaitingTLS:
            preconditionFailure("HTTP/2 SETTINGS decrypted before the TLS handshake completed")
        case .awaitingSettings:
            let enabled = settings.last { $0.parameter == .enableConnectProtocol }?.value == 1
            guard enabled else {
                self.state = .failed
                return .fail(.connectProtocolNotEnabled)
            }
            self.state = .openingStream
            return .openStream
        case .openingStream, .open, .failed:
            return .none
        }
    }

    /// The extended CONNECT was answered and the session runs on the stream.
    mutating func streamOpened() {
        switch self.state {
        case .openingStream:
            self.state = .open
        case .awaitingTLS, .awaitingSettings, .open, .failed:
            preconditionFailure("a stream opened in state \(self.state)")
        }
    }

    /// The server sent GOAWAY: before the stream is opened, the opening fails with it; once it is, the
    /// stream's own end reports it, after what the server still sends on it (its frames may be read after
    /// the GOAWAY that followed them).
    mutating func goAwayReceived(_ failure: HTTP2Failure) -> Action {
        switch self.state {
        case .awaitingTLS, .awaitingSettings:
            self.state = .failed
            return .fail(failure)
        case .openingStream, .open, .failed:
            return .none
        }
    }

    /// The connection closed. Before the SETTINGS, that is the server's answer; once the stream is being
    /// opened, the stream reports its own end.
    mutating func connectionEnded() -> Action {
        switch self.state {
        case .awaitingTLS, .openingStream, .open, .failed:
            return .none
        case .awaitingSettings:
            self.state = .failed
            return .fail(.closedBeforeSettings)
        }
    }
}

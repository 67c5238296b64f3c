import WSEngine

extension EngineLimit {
    /// The option that sets this limit, which the lines reporting it name.
    public var optionName: String {
        switch self {
        case .connectTimeout: "--connect-timeout"
        case .maxMessageSize: "--max-message-size"
        case .pingTimeout: "--ping-timeout"
        }
    }
}

extension CloseReport {
    /// One line for the user: who closed, the code with its name, and the reason, for example
    /// `server closed the connection: 1001 (going away) "restarting"`.
    public var summary: String {
        self.summary(peer: SessionRole.client.peerName)
    }

    /// The same line with the peer named as `peer` ("server", or "client" for a `--listen` session).
    public func summary(peer: String) -> String {
        let reasonText = self.reason.isEmpty ? "" : " \"\(self.reason)\""
        let option = self.limit.map { " (\($0.optionName))" } ?? ""
        if let violation = self.violation {
            return "protocol error: \(violation.description)\(option); wsc closed the connection with "
                + "\(violation.closeCode)"
        }
        if self.initiator == .remote, let failure = self.transportFailure {
            return "connection to the \(peer) failed without a Close frame: \(self.code); \(failure)\(option)"
        }
        switch self.initiator {
        case .remote where self.code == .abnormalClosure:
            return "connection dropped by the \(peer) without a Close frame: \(self.code)"
        case .remote:
            return "\(peer) closed the connection: \(self.code)\(reasonText)"
        case .local where self.peerDidNotAnswer:
            if let failure = self.transportFailure {
                return "closed: \(self.code)\(reasonText); "
                    + "the connection failed before the \(peer) answered the Close: \(failure)\(option)"
            }
            return "closed: \(self.code)\(reasonText); the \(peer) did not answer the Close in time"
        case .local:
            return "closed: \(self.code)\(reasonText)"
        }
    }
}

extension CloseReport {
    /// One line for the user: who closed, the code with its name, and the reason, for example
    /// `server closed the connection: 1001 (going away) "restarting"`.
    public var summary: String {
        let reasonText = self.reason.isEmpty ? "" : " \"\(self.reason)\""
        if let violation = self.violation {
            return "protocol error: \(violation.description); wsc closed the connection with \(violation.closeCode)"
        }
        switch self.initiator {
        case .remote where self.code == .abnormalClosure:
            return "connection dropped by the server without a Close frame: \(self.code)"
        case .remote:
            return "server closed the connection: \(self.code)\(reasonText)"
        case .local where self.peerDidNotAnswer:
            return "closed: \(self.code)\(reasonText); the server did not answer the Close in time"
        case .local:
            return "closed: \(self.code)\(reasonText)"
        }
    }
}

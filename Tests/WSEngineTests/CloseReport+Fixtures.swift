import WSEngine

extension CloseReport {
    /// Our Close 1000 went out, then the connection was reset before the peer answered it.
    static let resetWhileOurCloseWaited = CloseReport(
        initiator: .local,
        code: .normalClosure,
        reason: "",
        peerDidNotAnswer: true,
        transportFailure: "connection reset by peer"
    )
}

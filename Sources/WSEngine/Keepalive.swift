/// Pings sent on a schedule (`--ping-interval`), and how long the peer may stay silent after one before the
/// connection counts as dead (`--ping-timeout`).
///
/// NATs and proxies drop connections that carry nothing for a few minutes, and a peer that vanished without
/// a FIN (a laptop closed, a cable pulled) leaves a quiet connection that TCP alone notices only after many
/// minutes; a follower of a feed (`-w -1`) would wait forever.
public struct Keepalive: Sendable, Equatable {
    /// Time between pings.
    public var interval: Duration
    /// How long after a ping the connection may carry nothing from the peer before it is dropped; `nil`
    /// sends pings without watching for answers.
    public var timeout: Duration?

    /// Pings every `interval`, and with a `timeout` the connection fails when nothing arrives within that long
    /// of a ping.
    public init(interval: Duration, timeout: Duration? = nil) {
        self.interval = interval
        self.timeout = timeout
    }
}

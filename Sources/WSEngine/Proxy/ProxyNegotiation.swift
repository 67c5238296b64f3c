import NIOCore

/// One proxy protocol's part in opening a tunnel: what to send first, then what each answer of the proxy
/// calls for. ``ProxyTunnelHandler`` moves the bytes; a negotiation only reads and builds buffers, so each is
/// tested with byte vectors alone.
protocol ProxyNegotiation {
    /// What to send once connected to the proxy.
    mutating func start() -> ByteBuffer

    /// Reads the part of the proxy's answer that `answer` holds. Whatever follows the end of the negotiation
    /// (the server's first bytes) is left unread.
    mutating func received(_ answer: inout ByteBuffer) -> ProxyNegotiationStep

    /// The error for a proxy that hangs up before the tunnel is open.
    var closedEarly: ProxyError { get }
}

/// What a proxy's answer calls for.
enum ProxyNegotiationStep {
    /// The answer is not complete yet.
    case needMoreBytes
    /// These bytes go to the proxy next.
    case send(ByteBuffer)
    /// The tunnel is open: what follows is the server's.
    case established
    /// No tunnel, for this reason.
    case failed(ProxyError)
}

import WSDeflate

/// Which end of the connection wsc is: the rules of RFC 6455 section 5.1 differ only in who masks.
///
/// One session state machine serves both ends; the role picks the masking rule, the wording of violations,
/// and which permessage-deflate parameters govern each direction.
public enum SessionRole: Sendable, Hashable {
    /// wsc opened the connection: it masks every frame it sends, and the server must not mask.
    case client
    /// wsc accepted the connection as a server: the client must mask every frame, and wsc does not.
    case server

    /// What the other end is called in messages for the user.
    public var peerName: String {
        switch self {
        case .client: "server"
        case .server: "client"
        }
    }

    /// Whether frames we send are masked (RFC 6455 section 5.3: a client masks, a server never does).
    var masksOutgoingFrames: Bool {
        switch self {
        case .client: true
        case .server: false
        }
    }

    /// The permessage-deflate role with the same meaning.
    var deflateRole: PerMessageDeflateRole {
        switch self {
        case .client: .client
        case .server: .server
        }
    }
}

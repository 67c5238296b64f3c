/// The permessage-deflate configuration both ends agreed on during the opening handshake (RFC 7692 section 7.1).
///
/// A client gets it from ``PerMessageDeflateOffer/negotiate(response:)``, a server from
/// ``accepting(offers:)``; either way it then creates a ``PerMessageDeflateCompressor`` and a
/// ``PerMessageDeflateDecompressor`` with its ``PerMessageDeflateRole``.
public struct PerMessageDeflateParameters: Sendable, Hashable {
    /// The extension token of RFC 7692 section 7.
    public static let extensionName = "permessage-deflate"

    /// The client compresses every message with an empty LZ77 window (RFC 7692 section 7.1.1.2).
    public var clientNoContextTakeover: Bool
    /// The server compresses every message with an empty LZ77 window (RFC 7692 section 7.1.1.1).
    public var serverNoContextTakeover: Bool
    /// The largest window, as a base-2 logarithm, the client may compress with; nil means 15.
    public var clientMaxWindowBits: Int?
    /// The largest window, as a base-2 logarithm, the server may compress with; nil means 15.
    public var serverMaxWindowBits: Int?

    /// Creates parameters; the defaults are permessage-deflate without parameters: context takeover and 32 KiB
    /// windows both ways.
    public init(
        clientNoContextTakeover: Bool = false,
        serverNoContextTakeover: Bool = false,
        clientMaxWindowBits: Int? = nil,
        serverMaxWindowBits: Int? = nil
    ) {
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientMaxWindowBits = clientMaxWindowBits
        self.serverMaxWindowBits = serverMaxWindowBits
    }

    /// The `Sec-WebSocket-Extensions` value a server sends to accept with exactly these parameters.
    public var responseHeaderValue: String {
        var value = Self.extensionName
        if self.serverNoContextTakeover {
            value += "; \(PerMessageDeflateParameterName.serverNoContextTakeover.rawValue)"
        }
        if self.clientNoContextTakeover {
            value += "; \(PerMessageDeflateParameterName.clientNoContextTakeover.rawValue)"
        }
        if let bits = self.serverMaxWindowBits {
            value += "; \(PerMessageDeflateParameterName.serverMaxWindowBits.rawValue)=\(bits)"
        }
        if let bits = self.clientMaxWindowBits {
            value += "; \(PerMessageDeflateParameterName.clientMaxWindowBits.rawValue)=\(bits)"
        }
        return value
    }

    /// Whether the sender of one direction resets its window per message, and how large that window may be.
    struct Direction: Hashable, Sendable {
        /// The sender starts every message from an empty window.
        var noContextTakeover: Bool
        /// The largest window the sender may use, 8...15.
        var maxWindowBits: Int
    }

    /// The rules for the messages `role` sends.
    func sending(as role: PerMessageDeflateRole) -> Direction {
        switch role {
        case .client:
            Direction(noContextTakeover: self.clientNoContextTakeover, maxWindowBits: self.clientMaxWindowBits ?? 15)
        case .server:
            Direction(noContextTakeover: self.serverNoContextTakeover, maxWindowBits: self.serverMaxWindowBits ?? 15)
        }
    }

    /// The rules for the messages `role` receives, which are the peer's sending rules.
    func receiving(as role: PerMessageDeflateRole) -> Direction {
        switch role {
        case .client: self.sending(as: .server)
        case .server: self.sending(as: .client)
        }
    }
}

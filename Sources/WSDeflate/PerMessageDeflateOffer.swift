/// What a client asks for in its `Sec-WebSocket-Extensions` request header (RFC 7692 section 5).
///
/// The defaults make the offer browsers and Python's websockets send, `permessage-deflate;
/// client_max_window_bits`: context takeover both ways and 32 KiB windows, with the server free to shrink the
/// client's window. Window sizes must lie in ``windowBitsRange``; check user input against it before building an
/// offer.
public struct PerMessageDeflateOffer: Sendable, Hashable {
    /// The window sizes, as base-2 logarithms, that RFC 7692 section 7.1.2 allows: 256 bytes to 32 KiB.
    public static let windowBitsRange: ClosedRange<Int> = 8...15

    /// Ask to compress our messages without context takeover; also a promise to do so even if the server does
    /// not echo it (RFC 7692 section 7.1.1.2). Costs ratio, saves the server memory.
    public var clientNoContextTakeover: Bool
    /// Ask the server to compress each message on its own (RFC 7692 section 7.1.1.1). The server must agree
    /// or decline the offer.
    public var serverNoContextTakeover: Bool
    /// Whether and how to let the server limit the window we compress with (RFC 7692 section 7.1.2.2).
    public var clientMaxWindowBits: ClientMaxWindowBits
    /// The largest window the server may compress with, or nil for no limit (RFC 7692 section 7.1.2.1).
    public var serverMaxWindowBits: Int?

    /// Creates an offer; the defaults give `permessage-deflate; client_max_window_bits`.
    public init(
        clientNoContextTakeover: Bool = false,
        serverNoContextTakeover: Bool = false,
        clientMaxWindowBits: ClientMaxWindowBits = .withoutValue,
        serverMaxWindowBits: Int? = nil
    ) {
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientMaxWindowBits = clientMaxWindowBits
        self.serverMaxWindowBits = serverMaxWindowBits
    }

    /// The offer browsers and Python's websockets make: `permessage-deflate; client_max_window_bits`.
    public static var standard: Self { Self() }

    /// The `Sec-WebSocket-Extensions` request header value for this offer.
    public var headerValue: String {
        var value = PerMessageDeflateParameters.extensionName
        if self.serverNoContextTakeover {
            value += "; \(PerMessageDeflateParameterName.serverNoContextTakeover.rawValue)"
        }
        if self.clientNoContextTakeover {
            value += "; \(PerMessageDeflateParameterName.clientNoContextTakeover.rawValue)"
        }
        if let bits = self.serverMaxWindowBits {
            precondition(Self.windowBitsRange.contains(bits), "server_max_window_bits \(bits) is outside 8...15")
            value += "; \(PerMessageDeflateParameterName.serverMaxWindowBits.rawValue)=\(bits)"
        }
        switch self.clientMaxWindowBits {
        case .omitted:
            break
        case .withoutValue:
            value += "; \(PerMessageDeflateParameterName.clientMaxWindowBits.rawValue)"
        case .value(let bits):
            precondition(Self.windowBitsRange.contains(bits), "client_max_window_bits \(bits) is outside 8...15")
            value += "; \(PerMessageDeflateParameterName.clientMaxWindowBits.rawValue)=\(bits)"
        }
        return value
    }

    /// Reads the parameters of one permessage-deflate element, rejecting what RFC 7692 section 5.1 makes a
    /// server decline and a client fail on: unknown or repeated parameters and invalid values.
    ///
    /// Offers and responses share this syntax; a response must additionally give `client_max_window_bits` a
    /// value, which ``negotiate(response:)`` checks.
    init(parsing element: WebSocketExtensionElement) throws(PerMessageDeflateError) {
        self.init(clientMaxWindowBits: .omitted)
        var seen: Set<PerMessageDeflateParameterName> = []
        for parameter in element.parameters {
            guard let name = PerMessageDeflateParameterName(wireName: parameter.name) else {
                throw .unknownParameter(parameter.name)
            }
            guard seen.insert(name).inserted else {
                throw .duplicateParameter(name.rawValue)
            }
            switch name {
            case .serverNoContextTakeover, .clientNoContextTakeover:
                // Flags take no value (RFC 7692 sections 7.1.1.1 and 7.1.1.2).
                if let value = parameter.value {
                    throw .invalidParameterValue(name.rawValue, value)
                }
                if name == .serverNoContextTakeover {
                    self.serverNoContextTakeover = true
                } else {
                    self.clientNoContextTakeover = true
                }
            case .serverMaxWindowBits:
                guard let value = parameter.value, let bits = PerMessageDeflateParameterName.windowBits(from: value)
                else {
                    throw .invalidParameterValue(name.rawValue, parameter.value)
                }
                self.serverMaxWindowBits = bits
            case .clientMaxWindowBits:
                guard let value = parameter.value else {
                    self.clientMaxWindowBits = .withoutValue
                    continue
                }
                guard let bits = PerMessageDeflateParameterName.windowBits(from: value) else {
                    throw .invalidParameterValue(name.rawValue, value)
                }
                self.clientMaxWindowBits = .value(bits)
            }
        }
    }
}

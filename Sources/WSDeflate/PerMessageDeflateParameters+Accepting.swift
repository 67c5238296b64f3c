extension PerMessageDeflateParameters {
    /// A server's choice among a client's offers: the first permessage-deflate offer it can accept, with every
    /// offered parameter honoured.
    ///
    /// RFC 7692 section 5.1 has the server decline offers with unknown, repeated or invalid parameters, so those
    /// are skipped rather than reported, and so are other extensions. The accepted parameters echo the offer:
    /// `server_no_context_takeover` and `server_max_window_bits` bind us, `client_no_context_takeover` is
    /// confirmed, and an offered `client_max_window_bits` value is confirmed (we inflate with a 32 KiB window
    /// whatever the client uses, so there is no reason to ask for less). Answer the client with
    /// ``responseHeaderValue``.
    ///
    /// - Parameter headerValue: Every `Sec-WebSocket-Extensions` value of the client's request joined with ",".
    /// - Returns: The accepted parameters, or nil to answer without the header and send uncompressed messages.
    public static func accepting(offers headerValue: String) -> PerMessageDeflateParameters? {
        // A malformed header has no offer we can safely read, so the whole header is declined.
        guard let elements = try? ExtensionsHeaderParser.parse(headerValue) else {
            return nil
        }
        for element in elements where element.name.lowercased() == Self.extensionName {
            guard let offer = try? PerMessageDeflateOffer(parsing: element) else {
                continue
            }
            let clientMaxWindowBits: Int?
            switch offer.clientMaxWindowBits {
            case .omitted, .withoutValue:
                clientMaxWindowBits = nil
            case .value(let bits):
                clientMaxWindowBits = bits
            }
            return PerMessageDeflateParameters(
                clientNoContextTakeover: offer.clientNoContextTakeover,
                serverNoContextTakeover: offer.serverNoContextTakeover,
                clientMaxWindowBits: clientMaxWindowBits,
                serverMaxWindowBits: offer.serverMaxWindowBits
            )
        }
        return nil
    }
}

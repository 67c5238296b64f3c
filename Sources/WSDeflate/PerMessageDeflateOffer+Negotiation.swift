extension PerMessageDeflateOffer {
    /// Checks a server's `Sec-WebSocket-Extensions` response against this offer and returns what was agreed.
    ///
    /// RFC 7692 section 5 has the client fail the connection when the response names an extension it did not
    /// offer, repeats permessage-deflate, has unknown, repeated or invalid parameters, or describes a
    /// configuration the offer did not allow; each of those throws here. Parameters the server may add on its own
    /// (`server_no_context_takeover`, `client_no_context_takeover`, `server_max_window_bits`) are accepted.
    ///
    /// - Parameter headerValue: Every `Sec-WebSocket-Extensions` value of the 101 response joined with ",", or
    ///   "" when the header is absent.
    /// - Returns: The negotiated parameters, or nil when the server accepted no extension and messages go
    ///   uncompressed.
    public func negotiate(response headerValue: String) throws(PerMessageDeflateError) -> PerMessageDeflateParameters? {
        var accepted: WebSocketExtensionElement? = nil
        for element in try ExtensionsHeaderParser.parse(headerValue) {
            // RFC 6455 section 9.1: a server may only accept extensions the client offered.
            guard element.name.lowercased() == PerMessageDeflateParameters.extensionName else {
                throw .extensionNotOffered(element.name)
            }
            guard accepted == nil else {
                throw .duplicateExtension
            }
            accepted = element
        }
        guard let accepted else {
            return nil
        }
        let response = try PerMessageDeflateOffer(parsing: accepted)

        // RFC 7692 section 7.1.1.1: a server accepting an offer with server_no_context_takeover must echo it.
        if self.serverNoContextTakeover && !response.serverNoContextTakeover {
            throw .offeredParameterMissing(PerMessageDeflateParameterName.serverNoContextTakeover.rawValue)
        }

        // RFC 7692 section 7.1.2.1: the server accepts an offered limit by answering with the same or a smaller
        // one; without an offered limit it may still announce one.
        if let offered = self.serverMaxWindowBits {
            let name = PerMessageDeflateParameterName.serverMaxWindowBits.rawValue
            guard let chosen = response.serverMaxWindowBits else {
                throw .offeredParameterMissing(name)
            }
            guard chosen <= offered else {
                throw .windowBitsAboveOffer(name, value: chosen, offered: offered)
            }
        }

        // RFC 7692 section 7.1.2.2: the server may only limit the client's window if the offer allowed it, never
        // above an offered value, and always with a value; an offered value binds the client even if the
        // response leaves the parameter out.
        let clientName = PerMessageDeflateParameterName.clientMaxWindowBits.rawValue
        let clientMaxWindowBits: Int?
        switch (self.clientMaxWindowBits, response.clientMaxWindowBits) {
        case (.omitted, .omitted), (.withoutValue, .omitted):
            clientMaxWindowBits = nil
        case (.omitted, .withoutValue), (.omitted, .value):
            throw .parameterNotOffered(clientName)
        case (.withoutValue, .withoutValue), (.value, .withoutValue):
            throw .invalidParameterValue(clientName, nil)
        case (.withoutValue, .value(let chosen)):
            clientMaxWindowBits = chosen
        case (.value(let offered), .omitted):
            clientMaxWindowBits = offered
        case (.value(let offered), .value(let chosen)):
            guard chosen <= offered else {
                throw .windowBitsAboveOffer(clientName, value: chosen, offered: offered)
            }
            clientMaxWindowBits = chosen
        }

        // RFC 7692 section 7.1.1.2: client_no_context_takeover in the offer is a promise that holds even if the
        // server does not echo it.
        return PerMessageDeflateParameters(
            clientNoContextTakeover: self.clientNoContextTakeover || response.clientNoContextTakeover,
            serverNoContextTakeover: response.serverNoContextTakeover,
            clientMaxWindowBits: clientMaxWindowBits,
            serverMaxWindowBits: response.serverMaxWindowBits
        )
    }
}

extension PerMessageDeflateParameters: CustomStringConvertible {
    /// The agreement in full, for `-v`: the flags that are set and both window sizes, with the 15 that an
    /// absent parameter means spelled out, for example
    /// `permessage-deflate (server_no_context_takeover, server_max_window_bits=15, client_max_window_bits=15)`.
    public var description: String {
        var parts: [String] = []
        if self.serverNoContextTakeover {
            parts.append(PerMessageDeflateParameterName.serverNoContextTakeover.rawValue)
        }
        if self.clientNoContextTakeover {
            parts.append(PerMessageDeflateParameterName.clientNoContextTakeover.rawValue)
        }
        parts.append("\(PerMessageDeflateParameterName.serverMaxWindowBits.rawValue)=\(self.serverMaxWindowBits ?? 15)")
        parts.append("\(PerMessageDeflateParameterName.clientMaxWindowBits.rawValue)=\(self.clientMaxWindowBits ?? 15)")
        return "\(Self.extensionName) (\(parts.joined(separator: ", ")))"
    }
}

import WSEngine

extension HeaderField {
    /// Parses `-H 'Name: value'` as curl does: the name must be an HTTP token (RFC 9110 section 5.6.2), the
    /// value is trimmed and may not contain a line break (which would smuggle in another header).
    init?(headerLine text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let name = text[..<colon]
        let value = text[text.index(after: colon)...].trimmingCharacters(in: [" ", "\t"])
        guard !name.isEmpty, name.unicodeScalars.allSatisfy(Self.isTokenCharacter),
            !value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" })
        else { return nil }
        self.init(name: String(name), value: value)
    }

    private static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        case "!", "#", "$", "%", "&", "'", "*", "+", "-", ".", "^", "_", "`", "|", "~": true
        default: false
        }
    }
}

extension Substring {
    /// The text without the given characters at either end.
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        String(self.drop(while: set.contains).reversed().drop(while: set.contains).reversed())
    }
}

import WSEngine

extension HeaderField {
    /// Splits `-H 'Name: value'` at its first colon, as curl does, and trims the value's surrounding white
    /// space; `nil` without a colon. What the name and value may contain is ``RequestFieldCheck``'s concern.
    init?(headerLine text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let value = text[text.index(after: colon)...].trimmingCharacters(in: [" ", "\t"])
        self.init(name: String(text[..<colon]), value: value)
    }
}

extension Substring {
    /// The text without the given characters at either end.
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        String(self.drop(while: set.contains).reversed().drop(while: set.contains).reversed())
    }
}

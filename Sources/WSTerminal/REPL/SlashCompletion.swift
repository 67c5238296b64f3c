import WSEngine

/// What Tab does at the prompt: it completes a slash command's name and `/close`'s code, or lists the choices
/// when there are several; in an ordinary message it does nothing (no tab character, no file names).
enum SlashCompletion {
    /// What to do with the line.
    enum Result: Equatable {
        /// Nothing to complete.
        case nothing
        /// Insert this text at the cursor.
        case insert(String)
        /// Several completions fit: show these.
        case choices([String])
    }

    /// The commands, and whether each takes an argument (a space then follows its completed name).
    static let commands: [(name: String, takesArgument: Bool)] = [
        ("binary", true), ("close", true), ("help", false), ("json", false), ("ping", true), ("quit", false),
        ("reconnect", false), ("save", true), ("send", true), ("status", false),
    ]

    /// The close codes offered after `/close `: the registered ones that may be sent (RFC 6455 section 7.4.1,
    /// and the IANA registry for 1012-1014).
    static let closeCodes = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014].map {
        CloseCode(UInt16($0))
    }

    /// The completion of `typed`, the line up to the cursor.
    static func complete(_ typed: String) -> Result {
        guard typed.hasPrefix("/"), !typed.hasPrefix("//") else {
            return .nothing
        }
        let afterSlash = typed.dropFirst()
        guard let space = afterSlash.firstIndex(of: " ") else {
            let matches = Self.commands.filter { $0.name.hasPrefix(afterSlash) }
            return Self.choose(
                afterSlash,
                among: matches.map { ($0.name, "/" + $0.name, $0.takesArgument ? " " : "") }
            )
        }
        let argument = afterSlash[afterSlash.index(after: space)...]
        guard afterSlash[..<space] == "close", !argument.contains(" ") else {
            return .nothing
        }
        let codes = Self.closeCodes.filter { String($0.rawValue).hasPrefix(argument) }
        return Self.choose(argument, among: codes.map { (String($0.rawValue), $0.description, " ") })
    }

    /// Completes `typed` to one of `candidates` (each with what a list shows for it and what follows it once
    /// chosen), or as far as they agree.
    private static func choose(
        _ typed: Substring,
        among candidates: [(word: String, label: String, suffix: String)]
    ) -> Result {
        guard let first = candidates.first else {
            return .nothing
        }
        if candidates.count == 1 {
            return .insert(String(first.word.dropFirst(typed.count)) + first.suffix)
        }
        var common = first.word
        for candidate in candidates.dropFirst() {
            common = String(zip(common, candidate.word).prefix { $0 == $1 }.map(\.0))
        }
        guard common.count > typed.count else {
            return .choices(candidates.map(\.label))
        }
        return .insert(String(common.dropFirst(typed.count)))
    }
}

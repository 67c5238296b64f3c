#if canImport(Glibc)
    import Glibc
#endif

/// What the runner needs to know about the process: environment variables and whether the standard
/// streams are terminals. A value, so tests can build one.
struct ProcessEnvironment: Sendable {
    var variables: [String: String]
    var stdinIsTerminal: Bool
    var stdoutIsTerminal: Bool
    /// Whether stderr is a terminal, where a progress line can be rewritten in place.
    var stderrIsTerminal = false

    /// The real process's.
    static var current: ProcessEnvironment {
        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return ProcessEnvironment(
            variables: variables,
            stdinIsTerminal: isatty(STDIN_FILENO) == 1,
            stdoutIsTerminal: isatty(STDOUT_FILENO) == 1,
            stderrIsTerminal: isatty(STDERR_FILENO) == 1
        )
    }
}

import CLibEdit

#if canImport(Glibc)
    import Glibc
#endif

/// Writes the transcript to standard output (descriptor 1) in one go, after whatever `stdout` still buffers
/// (the runner's prints, the line editor's own output), so that nothing comes out of order.
enum TerminalOutput {
    /// Whether standard output is a terminal, so that cursor movements mean something there.
    static let isTerminal = isatty(1) == 1

    /// Writes all of `bytes`. A terminal that went away (EIO after a hang-up) is not an error worth more than
    /// dropping the output.
    static func write(_ bytes: [UInt8]) {
        fflush(wsc_stdout())
        try? DescriptorWriter.writeAll(bytes, to: STDOUT_FILENO)
    }

    /// Writes text we wrote ourselves.
    static func write(_ text: String) {
        Self.write(Array(text.utf8))
    }
}

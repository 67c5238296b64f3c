#if canImport(Glibc)
    import Glibc
#endif

/// The terminal's modes as they were before the REPL started. The line editor restores them itself whenever the
/// prompt comes down; this is the last line of defence on the way out, so that no exit path leaves the
/// terminal raw.
struct TerminalModes {
    private let descriptor: Int32
    private let saved: termios

    /// Saves the modes of `descriptor`; `nil` when it is not a terminal.
    init?(descriptor: Int32) {
        var modes = termios()
        guard tcgetattr(descriptor, &modes) == 0 else {
            return nil
        }
        self.descriptor = descriptor
        self.saved = modes
    }

    /// Puts the saved modes back.
    func restore() {
        var modes = self.saved
        _ = tcsetattr(self.descriptor, TCSANOW, &modes)
    }
}

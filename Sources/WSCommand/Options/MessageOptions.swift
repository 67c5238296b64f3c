import ArgumentParser

/// What to send, and when to close.
struct MessageOptions: ParsableArguments {
    @Option(
        name: [.customShort("x"), .long],
        help: ArgumentHelp(
            "Send this message after connecting, then close (stdin is not read); repeatable.",
            valueName: "message"
        )
    )
    var execute: [String] = []

    @Option(
        name: [.customShort("w"), .long],
        parsing: .unconditional,
        help: ArgumentHelp(
            "After the last input (EOF or the last -x), close once the server has sent nothing for this long: "
                + "\(OptionRanges.wait.text); 0 closes at once, -1 waits until the server closes.",
            valueName: "seconds"
        )
    )
    var wait: Double = 1

    @Flag(help: "Send input lines as binary messages instead of text.")
    var binary = false

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "After this many received messages, close (1000) and exit 0; later messages are not printed: "
                + "\(OptionRanges.count.lowerBound) to \(OptionRanges.count.upperBound).",
            valueName: "count"
        )
    )
    var count: Int?

    @Flag(name: [.customShort("1"), .long], help: "Same as --count 1: print one message, then close and exit.")
    var once = false

    @Option(
        help: ArgumentHelp(
            "Print messages as usual; when a text message matches this POSIX extended regular expression (as "
                + "grep -E), close (1000) and exit 0. A binary message never matches.",
            valueName: "regex"
        )
    )
    var until: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Give the whole run (connecting included) at most this long; then close (1000) and exit "
                + "\(ExitStatus.timedOut.rawValue): \(OptionRanges.timeout.text).",
            valueName: "seconds"
        )
    )
    var maxTime: Double?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "When no message arrives for this long (pings and pongs do not count), close (1000) and exit "
                + "\(ExitStatus.idle.rawValue): \(OptionRanges.timeout.text).",
            valueName: "seconds"
        )
    )
    var idleTimeout: Double?

    mutating func validate() throws {
        guard self.wait == -1 || OptionRanges.wait.range.contains(self.wait) else {
            throw ValidationError("--wait takes \(OptionRanges.wait.text), or -1 to wait until the server closes")
        }
        if let count {
            try OptionRanges.check(count, in: OptionRanges.count, option: "--count", unit: "messages")
            if self.once {
                throw ValidationError("--once is --count 1; give one of them")
            }
        }
        if let maxTime {
            try OptionRanges.timeout.check(maxTime, option: "--max-time")
        }
        if let idleTimeout {
            try OptionRanges.timeout.check(idleTimeout, option: "--idle-timeout")
        }
    }

    /// The received messages after which to stop (`--count`, `--once`), or `nil`.
    var messageLimit: Int? {
        self.once ? 1 : self.count
    }

    /// Whether an option that bounds the run was given: they make a script of the run, so no REPL.
    var endsTheRun: Bool {
        self.messageLimit != nil || self.until != nil || self.maxTime != nil || self.idleTimeout != nil
    }
}

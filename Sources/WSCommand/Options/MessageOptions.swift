import ArgumentParser
import Synchronization
import WSTerminal

/// What to send, and when to close.
struct MessageOptions: ParsableArguments {
    @Option(
        name: [.customShort("x"), .long],
        help: ArgumentHelp(
            "Send this message after connecting, then close (stdin is not read); repeatable, and sent in "
                + "command-line order with --send-file.",
            valueName: "message"
        )
    )
    var execute: [PlacedArgument] = []

    @Option(
        name: .customLong("send-file"),
        help: ArgumentHelp(
            "Send this file as one message, binary unless --text; - is all of stdin. Like -x: repeatable, "
                + "stdin lines are not read, and -w decides when to close.",
            valueName: "file"
        ),
        completion: .file()
    )
    var sendFiles: [PlacedArgument] = []

    @Flag(help: "Send the files of --send-file as text messages (each must be UTF-8) instead of binary.")
    var text = false

    @Flag(
        name: [.customShort("0"), .customLong("null")],
        help: "Split stdin into messages at NUL bytes instead of newlines (find -print0); records may hold newlines."
    )
    var null = false

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
        if self.text && self.sendFiles.isEmpty {
            throw ValidationError("--text says how --send-file sends its files; give --send-file too")
        }
        if self.text && self.binary {
            throw ValidationError("--text and --binary contradict each other; pick one")
        }
        if self.null && !self.readsStandardInput {
            throw ValidationError("-0 splits stdin lines, which -x and --send-file replace; drop one")
        }
        if self.sendFiles.count(where: { $0.value == "-" }) > 1 {
            throw ValidationError("--send-file - sends all of stdin; give it once")
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

    /// Whether stdin is read as messages: only when neither `-x` nor `--send-file` gives them.
    var readsStandardInput: Bool {
        self.execute.isEmpty && self.sendFiles.isEmpty
    }

    /// The messages of `-x` and `--send-file`, in the order they were typed.
    var commandLineMessages: [CommandLineMessage] {
        let messages = self.execute.map { ($0.place, CommandLineMessage.text($0.value)) }
        let files = self.sendFiles.map { ($0.place, CommandLineMessage.file($0.value)) }
        return (messages + files).sorted { $0.0 < $1.0 }.map(\.1)
    }
}

/// A value of a repeatable option with its place on the command line, so that the values of two options
/// (`-x` and `--send-file`) can be put back into the order they were typed, which each option's array alone
/// does not keep.
///
/// The argument parser creates each value as it meets it, from left to right (its ``init(argument:)``), so a
/// counter that only goes up numbers the values in command-line order; across parses it keeps going up,
/// which changes no order within one. `OptionTests` checks that the parser still works so.
struct PlacedArgument: ExpressibleByArgument, Sendable {
    /// The values created so far, in every parse.
    private static let created = Atomic<Int>(0)

    /// The argument as typed.
    var value: String
    /// Larger for a value typed further right than another of the same command line.
    var place: Int

    init(argument: String) {
        self.value = argument
        self.place = Self.created.add(1, ordering: .relaxed).newValue
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

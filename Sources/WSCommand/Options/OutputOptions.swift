import ArgumentParser

/// How results and diagnostics are shown.
struct OutputOptions: ParsableArguments {
    /// When to colour the interactive output.
    enum ColorChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
        case auto, always, never
    }

    /// How received messages are written to stdout.
    enum FormatChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
        case raw, jsonl
    }

    @Flag(name: [.customShort("v"), .long], help: "Show the TLS session and the handshake's headers on stderr.")
    var verbose = false

    @Flag(
        name: [.customShort("q"), .long],
        help: "Print no status lines (close reports) on stderr; errors still show."
    )
    var quiet = false

    @Option(
        help: ArgumentHelp(
            """
            Print received messages as raw (text and a newline, binary bytes as they are) or jsonl (one JSON \
            object per message, binary data in base64). Either one prints to stdout without the interactive \
            session, even on a terminal.
            """,
            valueName: "format"
        )
    )
    var format: FormatChoice?

    @Flag(
        inversion: .prefixedNo,
        help: "Prefix received messages with the time (default: on in the REPL, off in pipe mode)."
    )
    var timestamps: Bool?

    @Option(
        help: ArgumentHelp(
            "Colour the interactive output: auto (a terminal without NO_COLOR), always, never.",
            valueName: "when"
        )
    )
    var color: ColorChoice = .auto

    @Flag(help: "Same as --color never.")
    var noColor = false

    @Flag(
        help: ArgumentHelp(
            "With --format jsonl: also write the handshake (open), pings and pongs (with -P), the close and every "
                + "error as JSON objects, in order with the messages."
        )
    )
    var events = false

    @Flag(
        name: [.customShort("P"), .customLong("show-ping-pong")],
        help: ArgumentHelp(
            "Report pings and pongs, with the round trip of a pong that answers a --ping-interval ping: on stderr, "
                + "or as events with --format jsonl --events."
        )
    )
    var showPingPong = false

    mutating func validate() throws {
        if self.verbose && self.quiet {
            throw ValidationError("--verbose and --quiet contradict each other; pick one")
        }
        if self.events && self.format != .jsonl {
            throw ValidationError("--events adds objects to the JSON Lines output: give --format jsonl too")
        }
    }
}

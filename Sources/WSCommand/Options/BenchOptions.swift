import ArgumentParser
import WSEngine

/// What `wsc bench` sends, how fast, for how long, and what it reports.
struct BenchOptions: ParsableArguments {
    /// How the report is written.
    enum FormatChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
        case table, json
    }

    @Argument(help: "The server URL: ws://host[:port][/path][?query]. Without a scheme, ws:// is assumed.")
    var url: String

    @Option(
        name: [.customShort("c"), .long],
        parsing: .unconditional,
        help: ArgumentHelp(
            "Open this many connections (\(OptionRanges.connections.lowerBound) to "
                + "\(OptionRanges.connections.upperBound); default: 1), spread over one event loop per core.",
            valueName: "count"
        )
    )
    var connections = 1

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Open this many connections per second (ramp-up); default: all at once.", valueName: "rate")
    )
    var connectRate: Double?

    @Option(
        name: [.customShort("d"), .long],
        parsing: .unconditional,
        help: ArgumentHelp(
            "Send for this long after the warm-up (default: 10, unless -n): \(OptionRanges.timeout.text).",
            valueName: "seconds"
        )
    )
    var duration: Double?

    @Option(
        name: [.customShort("n"), .long],
        parsing: .unconditional,
        help: ArgumentHelp("Send this many messages in all, spread over the connections.", valueName: "count")
    )
    var messages: Int?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Send for this long first without reporting it (the messages are measured, not counted).",
            valueName: "seconds"
        )
    )
    var warmup: Double = 0

    @Option(
        name: [.customShort("r"), .long],
        parsing: .unconditional,
        help: ArgumentHelp(
            "Send this many messages per second in all, by the clock (spread over the connections); a round "
                + "trip counts from when its message was due. Without it, send as fast as the server answers.",
            valueName: "rate"
        )
    )
    var rate: Double?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Without --rate: keep this many messages in flight on each connection (default: 1).",
            valueName: "count"
        )
    )
    var pipeline: Int?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Send generated messages of this size, carrying a sequence number and send time that an echo "
                + "server returns (at least \(BenchPayload.minimumSize); default: \(BenchPayload.minimumSize)). "
                + "Suffixes K, M.",
            valueName: "bytes"
        )
    )
    var size: ByteCount?

    @Option(
        name: [.customShort("m"), .long],
        help: ArgumentHelp(
            "Send this message every time; replies are matched in order, one per message, unless "
                + "--match-json-field.",
            valueName: "text"
        )
    )
    var message: String?

    @Option(
        name: .customLong("message-file"),
        help: ArgumentHelp("Send this file's contents every time, as -m does.", valueName: "file"),
        completion: .file()
    )
    var messageFile: String?

    @Flag(help: "Send binary messages instead of text.")
    var binary = false

    @Option(
        name: .customLong("match-json-field"),
        help: ArgumentHelp(
            "The message is a JSON object: put each message's sequence number in this top-level field, and "
                + "match a reply by the same value in the same field (a JSON-RPC server's id).",
            valueName: "name"
        )
    )
    var matchJSONField: String?

    @Option(
        name: [.customShort("x"), .long],
        help: ArgumentHelp(
            "Send this message first on each connection, as a login; repeatable. Its replies count as unmatched.",
            valueName: "message"
        )
    )
    var execute: [String] = []

    @Option(help: ArgumentHelp("Write the report as a table or as one JSON document.", valueName: "format"))
    var format: FormatChoice = .table

    @Option(
        name: .customLong("max-p99"),
        parsing: .unconditional,
        help: ArgumentHelp(
            "Exit \(ExitStatus.thresholdBroken.rawValue) when the 99th percentile round trip is longer than this.",
            valueName: "ms"
        )
    )
    var maxP99: Double?

    @Option(
        name: .customLong("max-errors"),
        parsing: .unconditional,
        help: ArgumentHelp(
            "Allow this many errors (failed or dropped connections, lost messages); exit "
                + "\(ExitStatus.thresholdBroken.rawValue) with more. Without it, any error fails the run.",
            valueName: "count"
        )
    )
    var maxErrors: Int?

    @Flag(name: [.customShort("q"), .long], help: "Show no live status line on stderr.")
    var quiet = false

    mutating func validate() throws {
        try OptionRanges.check(
            self.connections,
            in: OptionRanges.connections,
            option: "--connections",
            unit: "connections"
        )
        if self.duration != nil && self.messages != nil {
            throw ValidationError("-d and -n both say when to stop; pick one")
        }
        if let duration {
            try OptionRanges.timeout.check(duration, option: "--duration")
        }
        if let messages {
            try OptionRanges.check(messages, in: OptionRanges.count, option: "--messages", unit: "messages")
        }
        try OptionRanges.wait.check(self.warmup, option: "--warmup")
        for (value, name) in [(self.rate, "--rate"), (self.connectRate, "--connect-rate")] {
            if let value, !(value > 0 && value <= 1e9) {
                throw ValidationError("\(name) takes a rate per second above 0, up to 1e9")
            }
        }
        if self.rate != nil && self.pipeline != nil {
            throw ValidationError("--pipeline paces sends by the replies, --rate by the clock; pick one")
        }
        if let pipeline {
            try OptionRanges.check(pipeline, in: OptionRanges.pipeline, option: "--pipeline", unit: "messages")
        }
        let sources = [self.size != nil, self.message != nil, self.messageFile != nil].filter { $0 }.count
        if sources > 1 {
            throw ValidationError("--size, -m and --message-file each say what to send; pick one")
        }
        if let size {
            try OptionRanges.check(
                size.bytes,
                in: BenchPayload.minimumSize...OptionRanges.messageSize.upperBound,
                option: "--size",
                unit: "bytes"
            )
        }
        if self.matchJSONField != nil && self.message == nil && self.messageFile == nil {
            throw ValidationError("--match-json-field fills in a JSON message: give it with -m or --message-file")
        }
        if let maxP99, !(maxP99 > 0 && maxP99 <= OptionRanges.longestSeconds * 1000) {
            throw ValidationError("--max-p99 takes milliseconds above 0")
        }
        if let maxErrors {
            try OptionRanges.check(maxErrors, in: 0...Int(Int32.max), option: "--max-errors", unit: "errors")
        }
    }
}

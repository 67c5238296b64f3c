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

    mutating func validate() throws {
        guard self.wait == -1 || OptionRanges.wait.range.contains(self.wait) else {
            throw ValidationError("--wait takes \(OptionRanges.wait.text), or -1 to wait until the server closes")
        }
    }
}

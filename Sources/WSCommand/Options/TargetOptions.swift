import ArgumentParser

/// The server URL of `wsc` itself: an argument, or `-c` as wscat spells it.
struct TargetOptions: ParsableArguments {
    @Argument(help: "The server URL: ws://host[:port][/path][?query]. Without a scheme, ws:// is assumed.")
    var url: String?

    @Option(
        name: [.customShort("c"), .customLong("connect")],
        help: ArgumentHelp("The server URL (wscat's spelling).", valueName: "url")
    )
    var connectURL: String?

    mutating func validate() throws {
        // A missing URL is checked by RootCommand, since --listen takes none.
        switch (self.url, self.connectURL) {
        case (.some, .some):
            throw ValidationError("give the URL once: either as an argument or with --connect")
        case (nil, nil), (.some, nil), (nil, .some):
            break
        }
    }

    /// The URL as typed, if one was given.
    var text: String? {
        self.url ?? self.connectURL
    }
}

import ArgumentParser
import WSEngine

/// What wsc does instead of sending input lines: echo what it receives, or be a server.
struct ModeOptions: ParsableArguments {
    @Flag(
        help: ArgumentHelp(
            "Send every received message back with the same type instead of reading stdin, until the peer closes. With --listen: an echo server."
        )
    )
    var echo = false

    @Option(
        name: [.customShort("l"), .long],
        help: ArgumentHelp(
            "Be a server: accept WebSocket clients on [host:]port (host 127.0.0.1 unless given; 0.0.0.0 for every interface). Their messages go to stdout, stdin lines to every client.",
            valueName: "[host:]port"
        )
    )
    var listen: ListenAddress?

    @Option(
        name: .customLong("max-clients"),
        parsing: .unconditional,
        help: ArgumentHelp(
            "With --listen, the most connections open at once (\(OptionRanges.clients.lowerBound) to "
                + "\(OptionRanges.clients.upperBound); default: \(ServerConfiguration.defaultMaxClients)). "
                + "At the limit a new one replaces the oldest still in its handshake, or is answered 503.",
            valueName: "count"
        )
    )
    var maxClients: Int?

    mutating func validate() throws {
        if let maxClients {
            try OptionRanges.check(maxClients, in: OptionRanges.clients, option: "--max-clients", unit: "connections")
        }
    }
}

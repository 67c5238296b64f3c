import ArgumentParser
import WSEngine

/// `wsc`: parses the command line and hands a resolved configuration to the ``Runner``.
public struct RootCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "wsc",
        abstract: "A WebSocket client for the terminal, pipelines and scripts.",
        discussion: """
            With a terminal on stdin, wsc opens an interactive session: type a line to send it, received \
            messages are printed with a timestamp. With stdin a pipe or file, each line is sent as one message \
            and each received message is written to stdout.

            Examples:
              wsc ws://localhost:8080/chat                 interactive session
              echo '{"op":"ping"}' | wsc ws://localhost:8080 send one line, print the replies, exit
              wsc -x hello -w 2 ws://localhost:8080          send a message, wait 2 s for replies, close
              wsc -H 'Authorization: Bearer TOKEN' -s chat.v1 ws://localhost:8080/
              wsc -w -1 ws://localhost:8080/feed | grep alert  follow a feed until the server closes

            Exit codes: 0 closed normally, 1 I/O failure, 2 usage error, 3 connection failed, \
            4 handshake rejected, 5 TLS failure, 6 protocol error by the server, 7 closed by the server with \
            an error code or dropped, 8 input error, 130 interrupted.
            """,
        version: WSCVersion.current
    )

    @OptionGroup(title: "Connection")
    var connection: ConnectionOptions

    @OptionGroup(title: "Messages")
    var messages: MessageOptions

    @OptionGroup(title: "Output")
    var output: OutputOptions

    public init() {}

    public func run() async throws {
        let runner = try Runner(options: self, environment: ProcessEnvironment.current)
        let status = await runner.run()
        if status != .success {
            throw ExitCode(status.rawValue)
        }
    }
}
